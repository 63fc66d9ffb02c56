import PostgresNIO
import Wire

extension PostgresMetadataStore {
    /// Allocates the name's next version from its counter row (whose lock serialises publishers of
    /// the name on every replica), inserts it with its tags and metrics, logs `model.published`, and
    /// points `alias` at it when given (logging `alias.moved`), in one transaction.
    public func insertVersion(_ draft: ModelVersionDraft, alias: String?, who: String, at now: Int64) async throws -> ModelVersion {
        try await write { transaction in
            try await transaction.rows(
                "INSERT INTO model_names (name, next_version, created) VALUES (\(draft.name), 1, \(now)) ON CONFLICT (name) DO NOTHING")
            let counter = try await transaction.rows(
                "UPDATE model_names SET next_version = next_version + 1 WHERE name = \(draft.name) RETURNING next_version - 1")
            guard let version = try counter.first?.decode(Int.self) else {
                throw RegistryError.database("model name \(draft.name) has no version counter")
            }
            let inserted = try await transaction.rows(
                """
                INSERT INTO model_versions (name, version, bundle_sha256, bundle_size, dataset_sha256, created,
                    description, threshold, hyperparameters, lineage)
                VALUES (\(draft.name), \(version), \(draft.bundleSHA256), \(draft.bundleSize), \(draft.datasetSHA256), \(now),
                    \(draft.description), \(draft.threshold), \(draft.hyperparameters), \(draft.lineage))
                RETURNING id
                """)
            guard let rowID = try inserted.first?.decode(Int64.self) else {
                throw RegistryError.database("inserting \(draft.name)@\(version) returned no id")
            }
            if !draft.tags.isEmpty {
                let keys = Array(draft.tags.keys)
                let values = keys.map { draft.tags[$0]! }
                try await transaction.rows(
                    "INSERT INTO tags (version_id, key, value) SELECT \(rowID), * FROM unnest(\(keys)::text[], \(values)::text[])")
            }
            if !draft.metrics.isEmpty {
                let keys = Array(draft.metrics.keys)
                let values = keys.map { draft.metrics[$0]! }
                try await transaction.rows(
                    "INSERT INTO metrics (version_id, key, value) SELECT \(rowID), * FROM unnest(\(keys)::text[], \(values)::float8[])")
            }
            var published = draft.version(number: version, rowID: rowID, createdMillis: now, aliases: [])
            transaction.queueEvent(.modelPublished, name: draft.name, payload: try EventPayload.modelPublished(published), at: now)
            if let alias {
                try await Self.moveAlias(transaction, name: draft.name, alias: alias, to: version, who: who, at: now)
                published.aliases = [alias]
            }
            return published
        }
    }

    /// The version a parsed reference names, with its tags, metrics and aliases.
    public func model(_ reference: ModelReference) async throws -> ModelVersion {
        let logger = logger
        return try await read { connection in
            let query: PostgresQuery =
                switch reference {
                case .latest(let name):
                    "SELECT \(unescaped: QueryCompiler.columns) FROM model_versions v WHERE v.name = \(name) ORDER BY v.version DESC LIMIT 1"
                case .version(let name, let version):
                    "SELECT \(unescaped: QueryCompiler.columns) FROM model_versions v WHERE v.name = \(name) AND v.version = \(version)"
                case .alias(let name, let alias):
                    "SELECT \(unescaped: QueryCompiler.columns) FROM aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.name = \(name) AND a.alias = \(alias)"
                }
            guard let row = try await connection.query(query, logger: logger).collect().first else {
                throw RegistryError.notFound(kind: "model version", reference: reference.description)
            }
            var versions = [try PostgresRows.modelVersion(row)]
            try await PostgresRows.attachDetails(connection, logger: logger, to: &versions)
            return versions[0]
        }
    }

    /// Every existing version of `name`, oldest first.
    public func versions(of name: String) async throws -> [ModelVersion] {
        let logger = logger
        return try await read { connection in
            var versions = try await connection.query(
                "SELECT \(unescaped: QueryCompiler.columns) FROM model_versions v WHERE v.name = \(name) ORDER BY v.version",
                logger: logger
            ).collect().map(PostgresRows.modelVersion)
            try await PostgresRows.attachDetails(connection, logger: logger, to: &versions)
            return versions
        }
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
                return ModelSummary(name: name, versionCount: count, latestVersion: latest, nextVersion: next, aliases: [:])
            }
            var aliasesByName: [String: [String: Int]] = [:]
            for row in try await connection.query("SELECT name, alias, version FROM aliases", logger: logger).collect() {
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
        let statement = PostgresQuery(unsafeSQL: compiled.sql, binds: bindings)
        let logger = logger
        return try await read { connection in
            var versions = try await connection.query(statement, logger: logger).collect().map(PostgresRows.modelVersion)
            try await PostgresRows.attachDetails(connection, logger: logger, to: &versions)
            return versions
        }
    }

    /// Deletes a version (refused with `versionAliased` while an alias points at it) and logs
    /// `model.deleted`; its number is never reused.
    public func deleteVersion(name: String, version: Int, who: String, at now: Int64) async throws -> ModelVersion {
        try await write { transaction in
            // The name's counter row first: the lock order every write of this name follows.
            try await transaction.rows("SELECT 1 FROM model_names WHERE name = \(name) FOR UPDATE")
            guard let row = try await transaction.rows(
                "SELECT \(unescaped: QueryCompiler.columns) FROM model_versions v WHERE v.name = \(name) AND v.version = \(version)"
            ).first else {
                throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)")
            }
            var versions = [try PostgresRows.modelVersion(row)]
            try await PostgresRows.attachDetails(transaction.connection, logger: transaction.logger, to: &versions)
            let deleted = versions[0]
            guard deleted.aliases.isEmpty else {
                throw RegistryError.versionAliased(name: name, version: version, aliases: deleted.aliases)
            }
            try await transaction.rows("DELETE FROM model_versions WHERE id = \(deleted.rowID)")
            transaction.queueEvent(.modelDeleted, name: name, payload: try EventPayload.modelDeleted(deleted, who: who), at: now)
            return deleted
        }
    }
}
