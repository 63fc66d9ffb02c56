import PostgresNIO
import Wire

extension PostgresMetadataStore {
    /// Allocates the name's next version from its counter row (whose lock serialises publishers of
    /// the name on every replica), inserts it with its tags and metrics, logs `model.published`, and
    /// points `alias` at it when given (logging `alias.moved`), in one transaction: BEGIN, the
    /// counter, the version with its details, the events, COMMIT (five round trips without alias).
    public func insertVersion(_ draft: ModelVersion, alias: String?, who: String, at now: Int64) async throws
        -> ModelVersion
    {
        try await keyedWrite(at: now) { transaction in
            // The name's counter row (created at the first publish) stays locked until commit.
            let counter = try await transaction.rows(
                """
                INSERT INTO model_names (name, next_version, created) VALUES (\(draft.name), 2, \(now))
                ON CONFLICT (name) DO UPDATE SET next_version = model_names.next_version + 1
                RETURNING next_version - 1
                """)
            guard let version = try counter.first?.decode(Int.self) else {
                throw RegistryError.database("model name \(draft.name) has no version counter")
            }
            let tagKeys = draft.tags.keys.sorted()
            let tagValues = tagKeys.map { draft.tags[$0] ?? "" }
            let metricKeys = draft.metrics.keys.sorted()
            let metricValues = metricKeys.map { draft.metrics[$0] ?? 0 }
            let inserted = try await transaction.rows(
                """
                WITH version AS (
                    INSERT INTO model_versions (name, version, bundle_sha256, bundle_size, dataset_sha256, created,
                        description, threshold, hyperparameters, lineage)
                    VALUES (\(draft.name), \(version), \(draft.bundleSHA256), \(draft.bundleSize), \(draft.datasetSHA256), \(now),
                        \(draft.description), \(draft.threshold), \(draft.hyperparameters), \(draft.lineage))
                    RETURNING id),
                tagged AS (
                    INSERT INTO tags (version_id, key, value)
                    SELECT version.id, tag.key, tag.value FROM version, unnest(\(tagKeys)::text[], \(tagValues)::text[]) AS tag (key, value)),
                measured AS (
                    INSERT INTO metrics (version_id, key, value)
                    SELECT version.id, metric.key, metric.value
                    FROM version, unnest(\(metricKeys)::text[], \(metricValues)::float8[]) AS metric (key, value))
                SELECT id FROM version
                """)
            guard let rowID = try inserted.first?.decode(Int64.self) else {
                throw RegistryError.database("inserting \(draft.name)@\(version) returned no id")
            }
            var published = draft.inserted(number: version, rowID: rowID, createdMillis: now)
            transaction.queueEvent(
                .modelPublished, name: draft.name, payload: try EventPayload.modelPublished(published), at: now)
            if let alias {
                try await Self.moveAlias(transaction, name: draft.name, alias: alias, to: version, who: who, at: now)
                published.aliases = [alias]
            }
            return published
        }
    }

    /// The version a parsed reference names, with its tags, metrics and aliases (one statement).
    public func model(_ reference: ModelReference) async throws -> ModelVersion {
        let query: PostgresQuery =
            switch reference {
            case .latest(let name):
                "SELECT \(unescaped: PostgresRows.versionColumns) FROM model_versions v WHERE v.name = \(name) ORDER BY v.version DESC LIMIT 1"
            case .version(let name, let version):
                "SELECT \(unescaped: PostgresRows.versionColumns) FROM model_versions v WHERE v.name = \(name) AND v.version = \(version)"
            case .alias(let name, let alias):
                "SELECT \(unescaped: PostgresRows.versionColumns) FROM aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.name = \(name) AND a.alias = \(alias)"
            }
        guard let version = try await versionRows(query).first else {
            throw RegistryError.notFound(kind: "model version", reference: reference.description)
        }
        return version
    }

    /// Every existing version of `name`, oldest first.
    public func versions(of name: String) async throws -> [ModelVersion] {
        try await versionRows(
            "SELECT \(unescaped: PostgresRows.versionColumns) FROM model_versions v WHERE v.name = \(name) ORDER BY v.version"
        )
    }

    /// Every model name with its version count, latest and next version, and aliases, by name.
    public func modelNames() async throws -> [ModelSummary] {
        let logger = logger
        return try await read { connection in
            var summaries = try await connection.query(
                """
                SELECT n.name, n.next_version, COUNT(v.id), MAX(v.version)
                FROM model_names n LEFT JOIN model_versions v ON v.name = n.name
                GROUP BY n.name ORDER BY n.name
                """, logger: logger
            ).collect().map { row in
                let (name, next, count, latest) = try row.decode((String, Int, Int, Int?).self)
                return ModelSummary(
                    name: name, versionCount: count, latestVersion: latest, nextVersion: next, aliases: [:])
            }
            var aliasesByName: [String: [String: Int]] = [:]
            for row in try await connection.query("SELECT name, alias, version FROM aliases", logger: logger).collect()
            {
                let (name, alias, version) = try row.decode((String, String, Int).self)
                aliasesByName[name, default: [:]][alias] = version
            }
            for index in summaries.indices {
                summaries[index].aliases = aliasesByName[summaries[index].name] ?? [:]
            }
            return summaries
        }
    }

    /// The versions a parsed query matches, in its order (the statement `QueryCompiler` writes
    /// for PostgreSQL: same rows, same order as SQLite's).
    public func search(_ query: ModelQuery) async throws -> [ModelVersion] {
        let compiled = QueryCompiler.compile(query, dialect: .postgres)
        var bindings = PostgresBindings(capacity: compiled.arguments.count)
        for argument in compiled.arguments {
            switch argument {
            case .text(let text): bindings.append(text)
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            }
        }
        return try await versionRows(PostgresQuery(unsafeSQL: compiled.sql, binds: bindings))
    }

    /// The versions one statement selecting `PostgresRows.versionColumns` returns. A single
    /// statement sees one snapshot, so no transaction is needed: one round trip.
    private func versionRows(_ query: PostgresQuery) async throws -> [ModelVersion] {
        let logger = logger
        return try await withConnection { connection in
            try await connection.query(query, logger: logger).collect().map(PostgresRows.modelVersion)
        }
    }

    /// Deletes a version (refused with `versionAliased` while an alias points at it) and logs
    /// `model.deleted`; its number is never reused.
    public func deleteVersion(name: String, version: Int, who: String, at now: Int64) async throws -> ModelVersion {
        try await keyedWrite(at: now) { transaction in
            // The name's counter row first: the lock order every write of this name follows.
            try await transaction.rows("SELECT 1 FROM model_names WHERE name = \(name) FOR UPDATE")
            guard
                let row = try await transaction.rows(
                    "SELECT \(unescaped: PostgresRows.versionColumns) FROM model_versions v WHERE v.name = \(name) AND v.version = \(version)"
                ).first
            else {
                throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)")
            }
            let deleted = try PostgresRows.modelVersion(row)
            guard deleted.aliases.isEmpty else {
                throw RegistryError.versionAliased(name: name, version: version, aliases: deleted.aliases)
            }
            try await transaction.rows("DELETE FROM model_versions WHERE id = \(deleted.rowID)")
            transaction.queueEvent(
                .modelDeleted, name: name, payload: try EventPayload.modelDeleted(deleted, who: who), at: now)
            return deleted
        }
    }
}
