import GRDB
import Wire

extension SQLiteMetadataStore {
    public func insertVersion(_ draft: ModelVersion, alias: String?, who: String, at now: Int64) async throws
        -> ModelVersion
    {
        try await index.keyedWrite(at: now) { db in
            try db.cachedStatement(
                sql:
                    "INSERT INTO model_names (name, next_version, created) VALUES (?, 1, ?) ON CONFLICT (name) DO NOTHING"
            )
            .execute(arguments: [draft.name, now])
            let number =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT next_version FROM model_names WHERE name = ?"),
                    arguments: [draft.name]) ?? 1
            try db.cachedStatement(sql: "UPDATE model_names SET next_version = ? WHERE name = ?")
                .execute(arguments: [number + 1, draft.name])
            try db.cachedStatement(
                sql: """
                    INSERT INTO model_versions (name, version, bundle_sha256, bundle_size, dataset_sha256, created,
                        description, threshold, hyperparameters, lineage)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                draft.name, number, draft.bundleSHA256, draft.bundleSize, draft.datasetSHA256, now, draft.description,
                draft.threshold, draft.hyperparameters, draft.lineage,
            ])
            let rowID = db.lastInsertedRowID
            let tagStatement = try db.cachedStatement(sql: "INSERT INTO tags (version_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in draft.tags { try tagStatement.execute(arguments: [rowID, key, value]) }
            let metricStatement = try db.cachedStatement(
                sql: "INSERT INTO metrics (version_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in draft.metrics { try metricStatement.execute(arguments: [rowID, key, value]) }
            var version = draft.inserted(number: number, rowID: rowID, createdMillis: now)
            try Self.appendEvent(
                db, kind: .modelPublished, name: draft.name, payload: try EventPayload.modelPublished(version), at: now)
            if let alias {
                try Self.moveAlias(db, name: draft.name, alias: alias, to: number, who: who, at: now)
                version.aliases = [alias]
            }
            return version
        }
    }

    public func model(_ reference: ModelReference) async throws -> ModelVersion {
        try await index.read { db in
            let row: Row?
            switch reference {
            case .latest(let name):
                row = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? ORDER BY v.version DESC LIMIT 1",
                    arguments: [name])
            case .version(let name, let version):
                row = try Row.fetchOne(
                    db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? AND v.version = ?",
                    arguments: [name, version])
            case .alias(let name, let alias):
                row = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT \(QueryCompiler.columns) FROM aliases a JOIN model_versions v ON v.id = a.version_id WHERE a.name = ? AND a.alias = ?",
                    arguments: [name, alias])
            }
            guard let row else { throw RegistryError.notFound(kind: "model version", reference: reference.description) }
            var versions = [try Self.modelVersion(row)]
            try Self.attachDetails(db, to: &versions)
            return versions[0]
        }
    }

    public func versions(of name: String) async throws -> [ModelVersion] {
        try await index.read { db in
            var versions = try Row.fetchAll(
                db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? ORDER BY v.version",
                arguments: [name]
            ).map(Self.modelVersion)
            try Self.attachDetails(db, to: &versions)
            return versions
        }
    }

    public func modelNames() async throws -> [ModelSummary] {
        try await index.read { db in
            var summaries = try Row.fetchAll(
                db,
                sql: """
                    SELECT n.name, n.next_version, COUNT(v.id), MAX(v.version)
                    FROM model_names n LEFT JOIN model_versions v ON v.name = n.name
                    GROUP BY n.name ORDER BY n.name
                    """
            ).map { row in
                ModelSummary(
                    name: try row.decode(atIndex: 0), versionCount: try row.decode(atIndex: 2),
                    latestVersion: try row.decode(atIndex: 3), nextVersion: try row.decode(atIndex: 1), aliases: [:])
            }
            var aliasesByName: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, alias, version FROM aliases") {
                aliasesByName[try row.decode(String.self, atIndex: 0), default: [:]][try row.decode(atIndex: 1)] =
                    try row.decode(Int.self, atIndex: 2)
            }
            for index in summaries.indices {
                summaries[index].aliases = aliasesByName[summaries[index].name] ?? [:]
            }
            return summaries
        }
    }

    public func search(_ query: ModelQuery) async throws -> [ModelVersion] {
        let compiled = QueryCompiler.compile(query)
        let arguments = StatementArguments(
            compiled.arguments.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .text(let text): return text
                case .integer(let number): return number
                case .real(let number): return number
                }
            })
        return try await index.read { db in
            // Not cached: query shapes come from clients, and a statement cache keyed by them would grow without bound.
            var versions = try Row.fetchAll(db, sql: compiled.sql, arguments: arguments).map(Self.modelVersion)
            try Self.attachDetails(db, to: &versions)
            return versions
        }
    }

    public func deleteVersion(name: String, version: Int, who: String, at now: Int64) async throws -> ModelVersion {
        try await index.keyedWrite(at: now) { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v WHERE v.name = ? AND v.version = ?",
                    arguments: [name, version])
            else { throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)") }
            var versions = [try Self.modelVersion(row)]
            try Self.attachDetails(db, to: &versions)
            let deleted = versions[0]
            guard deleted.aliases.isEmpty else {
                throw RegistryError.versionAliased(name: name, version: version, aliases: deleted.aliases)
            }
            try db.execute(sql: "DELETE FROM model_versions WHERE id = ?", arguments: [deleted.rowID])
            try Self.appendEvent(
                db, kind: .modelDeleted, name: name, payload: try EventPayload.modelDeleted(deleted, who: who), at: now)
            return deleted
        }
    }
}
