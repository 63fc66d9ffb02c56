import PostgresNIO
import Wire

extension PostgresMetadataStore: SnapshotableMetadataStore {
    /// Every row, in one REPEATABLE READ snapshot.
    public func exportSnapshot() async throws -> RegistrySnapshot {
        let logger = logger
        return try await read { connection in
            func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
                try await connection.query(query, logger: logger).collect()
            }
            var snapshot = RegistrySnapshot()
            snapshot.datasets = try await rows(
                "SELECT \(unescaped: PostgresRows.datasetColumns) FROM datasets ORDER BY id"
            )
            .map(PostgresRows.dataset)
            snapshot.modelNames = try await rows("SELECT name, next_version, created FROM model_names ORDER BY name")
                .map { row in
                    let (name, next, created) = try row.decode((String, Int, Int64).self)
                    return RegistrySnapshot.ModelName(name: name, nextVersion: next, createdMillis: created)
                }
            snapshot.versions = try await rows(
                "SELECT \(unescaped: PostgresRows.versionColumns) FROM model_versions v ORDER BY v.id"
            )
            .map(PostgresRows.modelVersion)
            snapshot.aliases = try await rows("SELECT name, alias, version, updated FROM aliases ORDER BY name, alias")
                .map { row in
                    let (name, alias, version, updated) = try row.decode((String, String, Int, Int64).self)
                    return RegistrySnapshot.Alias(name: name, alias: alias, version: version, updatedMillis: updated)
                }
            snapshot.aliasHistory = try await rows(
                "SELECT name, alias, from_version, to_version, who, created FROM alias_history ORDER BY id"
            ).map { row in
                let (name, alias, from, to, who, created) = try row.decode(
                    (String, String, Int?, Int?, String, Int64).self)
                return AliasChange(
                    name: name, alias: alias, fromVersion: from, toVersion: to, who: who, createdMillis: created)
            }
            snapshot.deployments = try await rows(
                "SELECT instance, name, version, first_seen, last_seen FROM deployments ORDER BY name, version, instance"
            ).map { row in
                let (instance, name, version, first, last) = try row.decode((String, String, Int, Int64, Int64).self)
                return Deployment(
                    instance: instance, name: name, version: version, firstSeenMillis: first, lastSeenMillis: last)
            }
            snapshot.events = try await rows("SELECT seq, kind, name, payload, created FROM events ORDER BY seq").map {
                row in
                let (sequence, kindText, name, payload, created) = try row.decode(
                    (Int64, String, String, String, Int64).self)
                guard let kind = EventKind(rawValue: kindText) else {
                    throw RegistryError.database("unknown event kind \"\(kindText)\" in the log")
                }
                return RegistryEvent(
                    sequence: sequence, kind: kind, name: name, payload: payload, createdMillis: created)
            }
            return snapshot
        }
    }

    /// Inserts every row in one transaction (version numbers, counters, times and event sequence
    /// numbers kept; the event counter set to the last sequence). Refused unless the store is empty.
    public func importSnapshot(_ snapshot: RegistrySnapshot) async throws {
        try await write { transaction in
            let count = try await transaction.rows(
                "SELECT (SELECT COUNT(*) FROM datasets) + (SELECT COUNT(*) FROM model_names) + (SELECT COUNT(*) FROM events)"
            )
            guard try count.first?.decode(Int64.self) == 0 else {
                throw RegistryError.invalidArgument("the target registry is not empty")
            }
            for record in snapshot.datasets {
                let columnsJSON = try JSONText.encode(record.columns)
                try await transaction.rows(
                    """
                    INSERT INTO datasets (name, sha256, size, rows, columns, schema_json, schema_error, created, description,
                        dialect_json, profile_json)
                    VALUES (\(record.name), \(record.sha256), \(record.size), \(record.rows), \(columnsJSON), \(record.schema),
                        \(record.schemaError), \(record.createdMillis), \(record.description), \(record.dialect), \(record.profile))
                    """)
            }
            for name in snapshot.modelNames {
                try await transaction.rows(
                    "INSERT INTO model_names (name, next_version, created) VALUES (\(name.name), \(name.nextVersion), \(name.createdMillis))"
                )
            }
            var rowIDs: [String: Int64] = [:]
            for version in snapshot.versions {
                let inserted = try await transaction.rows(
                    """
                    INSERT INTO model_versions (name, version, bundle_sha256, bundle_size, dataset_sha256, created,
                        description, threshold, hyperparameters, lineage)
                    VALUES (\(version.name), \(version.version), \(version.bundleSHA256), \(version.bundleSize),
                        \(version.datasetSHA256), \(version.createdMillis), \(version.description), \(version.threshold),
                        \(version.hyperparameters), \(version.lineage))
                    RETURNING id
                    """)
                guard let rowID = try inserted.first?.decode(Int64.self) else {
                    throw RegistryError.database("no id returned for \(version.name)@\(version.version)")
                }
                rowIDs["\(version.name)@\(version.version)"] = rowID
                for (key, value) in version.tags {
                    try await transaction.rows(
                        "INSERT INTO tags (version_id, key, value) VALUES (\(rowID), \(key), \(value))")
                }
                for (key, value) in version.metrics {
                    try await transaction.rows(
                        "INSERT INTO metrics (version_id, key, value) VALUES (\(rowID), \(key), \(value))")
                }
            }
            for alias in snapshot.aliases {
                guard let rowID = rowIDs["\(alias.name)@\(alias.version)"] else {
                    throw RegistryError.invalidArgument(
                        "alias \(alias.name)@\(alias.alias) points at missing version \(alias.version)")
                }
                try await transaction.rows(
                    """
                    INSERT INTO aliases (name, alias, version, version_id, updated)
                    VALUES (\(alias.name), \(alias.alias), \(alias.version), \(rowID), \(alias.updatedMillis))
                    """)
            }
            for change in snapshot.aliasHistory {
                try await transaction.rows(
                    """
                    INSERT INTO alias_history (name, alias, from_version, to_version, who, created)
                    VALUES (\(change.name), \(change.alias), \(change.fromVersion), \(change.toVersion), \(change.who), \(change.createdMillis))
                    """)
            }
            for deployment in snapshot.deployments {
                try await transaction.rows(
                    """
                    INSERT INTO deployments (instance, name, version, first_seen, last_seen)
                    VALUES (\(deployment.instance), \(deployment.name), \(deployment.version), \(deployment.firstSeenMillis),
                        \(deployment.lastSeenMillis))
                    """)
            }
            for event in snapshot.events {
                try await transaction.rows(
                    """
                    INSERT INTO events (seq, kind, name, payload, created)
                    VALUES (\(event.sequence), \(event.kind.rawValue), \(event.name), \(event.payload), \(event.createdMillis))
                    """)
            }
            let last = snapshot.events.last?.sequence ?? 0
            try await transaction.rows("UPDATE event_counter SET seq = \(last) WHERE id = 1")
            try await transaction.rows("SELECT pg_notify(\(PostgresWrite.channel), \(String(last)))")
        }
    }
}
