import GRDB
import Wire

extension SQLiteMetadataStore: SnapshotableMetadataStore {
    public func exportSnapshot() async throws -> RegistrySnapshot {
        try await index.read { db in
            var snapshot = RegistrySnapshot()
            snapshot.datasets = try Row.fetchAll(db, sql: "SELECT \(Self.datasetColumns) FROM datasets ORDER BY id")
                .map(Self.datasetRecord)
            snapshot.modelNames = try Row.fetchAll(
                db, sql: "SELECT name, next_version, created FROM model_names ORDER BY name"
            )
            .map {
                RegistrySnapshot.ModelName(
                    name: try $0.decode(atIndex: 0), nextVersion: try $0.decode(atIndex: 1),
                    createdMillis: try $0.decode(atIndex: 2))
            }
            var versions = try Row.fetchAll(
                db, sql: "SELECT \(QueryCompiler.columns) FROM model_versions v ORDER BY v.id"
            )
            .map(Self.modelVersion)
            try Self.attachDetails(db, to: &versions)
            snapshot.versions = versions
            snapshot.aliases = try Row.fetchAll(
                db, sql: "SELECT name, alias, version, updated FROM aliases ORDER BY name, alias"
            )
            .map {
                RegistrySnapshot.Alias(
                    name: try $0.decode(atIndex: 0), alias: try $0.decode(atIndex: 1),
                    version: try $0.decode(atIndex: 2),
                    updatedMillis: try $0.decode(atIndex: 3))
            }
            snapshot.aliasHistory = try Row.fetchAll(
                db, sql: "SELECT name, alias, from_version, to_version, who, created FROM alias_history ORDER BY id"
            ).map {
                AliasChange(
                    name: try $0.decode(atIndex: 0), alias: try $0.decode(atIndex: 1),
                    fromVersion: try $0.decode(atIndex: 2),
                    toVersion: try $0.decode(atIndex: 3), who: try $0.decode(atIndex: 4),
                    createdMillis: try $0.decode(atIndex: 5))
            }
            snapshot.deployments = try Row.fetchAll(
                db,
                sql:
                    "SELECT instance, name, version, first_seen, last_seen FROM deployments ORDER BY name, version, instance"
            ).map {
                Deployment(
                    instance: try $0.decode(atIndex: 0), name: try $0.decode(atIndex: 1),
                    version: try $0.decode(atIndex: 2),
                    firstSeenMillis: try $0.decode(atIndex: 3), lastSeenMillis: try $0.decode(atIndex: 4))
            }
            snapshot.events = try Row.fetchAll(
                db, sql: "SELECT seq, kind, name, payload, created FROM events ORDER BY seq"
            )
            .map(Self.event)
            return snapshot
        }
    }

    public func importSnapshot(_ snapshot: RegistrySnapshot) async throws {
        try await index.write { db in
            let existing =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT (SELECT COUNT(*) FROM datasets) + (SELECT COUNT(*) FROM model_names) + (SELECT COUNT(*) FROM events)"
                ) ?? 0
            guard existing == 0 else { throw RegistryError.invalidArgument("the target registry is not empty") }
            for record in snapshot.datasets {
                try db.execute(
                    sql: """
                        INSERT INTO datasets (name, sha256, size, rows, columns, schema_json, schema_error, created, description,
                            dialect_json, profile_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        record.name, record.sha256, record.size, record.rows, try JSONText.encode(record.columns),
                        record.schema,
                        record.schemaError, record.createdMillis, record.description, record.dialect, record.profile,
                    ])
            }
            for name in snapshot.modelNames {
                try db.execute(
                    sql: "INSERT INTO model_names (name, next_version, created) VALUES (?, ?, ?)",
                    arguments: [name.name, name.nextVersion, name.createdMillis])
            }
            var rowIDs: [String: Int64] = [:]
            for version in snapshot.versions {
                try db.execute(
                    sql: """
                        INSERT INTO model_versions (name, version, bundle_sha256, bundle_size, dataset_sha256, created,
                            description, threshold, hyperparameters, lineage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        version.name, version.version, version.bundleSHA256, version.bundleSize, version.datasetSHA256,
                        version.createdMillis, version.description, version.threshold, version.hyperparameters,
                        version.lineage,
                    ])
                let rowID = db.lastInsertedRowID
                rowIDs["\(version.name)@\(version.version)"] = rowID
                for (key, value) in version.tags {
                    try db.execute(
                        sql: "INSERT INTO tags (version_id, key, value) VALUES (?, ?, ?)",
                        arguments: [rowID, key, value])
                }
                for (key, value) in version.metrics {
                    try db.execute(
                        sql: "INSERT INTO metrics (version_id, key, value) VALUES (?, ?, ?)",
                        arguments: [rowID, key, value])
                }
            }
            for alias in snapshot.aliases {
                guard let rowID = rowIDs["\(alias.name)@\(alias.version)"] else {
                    throw RegistryError.invalidArgument(
                        "alias \(alias.name)@\(alias.alias) points at missing version \(alias.version)")
                }
                try db.execute(
                    sql: "INSERT INTO aliases (name, alias, version, version_id, updated) VALUES (?, ?, ?, ?, ?)",
                    arguments: [alias.name, alias.alias, alias.version, rowID, alias.updatedMillis])
            }
            for change in snapshot.aliasHistory {
                try db.execute(
                    sql:
                        "INSERT INTO alias_history (name, alias, from_version, to_version, who, created) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [
                        change.name, change.alias, change.fromVersion, change.toVersion, change.who,
                        change.createdMillis,
                    ])
            }
            for deployment in snapshot.deployments {
                try db.execute(
                    sql:
                        "INSERT INTO deployments (instance, name, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        deployment.instance, deployment.name, deployment.version, deployment.firstSeenMillis,
                        deployment.lastSeenMillis,
                    ])
            }
            for event in snapshot.events {
                try db.execute(
                    sql: "INSERT INTO events (seq, kind, name, payload, created) VALUES (?, ?, ?, ?, ?)",
                    arguments: [event.sequence, event.kind.rawValue, event.name, event.payload, event.createdMillis])
            }
        }
    }
}
