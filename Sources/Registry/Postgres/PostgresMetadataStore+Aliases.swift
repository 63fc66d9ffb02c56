import PostgresNIO
import Wire

extension PostgresMetadataStore {
    /// Sets (`version` non-nil) or removes an alias with its history entry and `alias.moved` event,
    /// in one transaction; setting it to the version it already names changes nothing.
    public func moveAlias(name: String, alias: String, to version: Int?, who: String, at now: Int64) async throws
        -> AliasChange
    {
        try await keyedWrite(at: now) { transaction in
            try await Self.moveAlias(transaction, name: name, alias: alias, to: version, who: who, at: now)
        }
    }

    /// The aliases of `name`: alias → version.
    public func aliases(of name: String) async throws -> [String: Int] {
        let logger = logger
        return try await withConnection { connection in
            var result: [String: Int] = [:]
            for row in try await connection.query(
                "SELECT alias, version FROM aliases WHERE name = \(name)", logger: logger
            ).collect() {
                let (alias, version) = try row.decode((String, Int).self)
                result[alias] = version
            }
            return result
        }
    }

    /// Every recorded move of the aliases of `name` (only of `alias` when given), oldest first.
    public func aliasHistory(name: String, alias: String?) async throws -> [AliasChange] {
        let logger = logger
        return try await withConnection { connection in
            let query: PostgresQuery =
                if let alias {
                    "SELECT name, alias, from_version, to_version, who, created FROM alias_history WHERE name = \(name) AND alias = \(alias) ORDER BY id"
                } else {
                    "SELECT name, alias, from_version, to_version, who, created FROM alias_history WHERE name = \(name) ORDER BY id"
                }
            return try await connection.query(query, logger: logger).collect().map { row in
                let (name, alias, from, to, who, created) = try row.decode(
                    (String, String, Int?, Int?, String, Int64).self)
                return AliasChange(
                    name: name, alias: alias, fromVersion: from, toVersion: to, who: who, createdMillis: created)
            }
        }
    }

    /// Records that predictor `instance` serves `name@version` (first report creates the entry,
    /// later ones move it and refresh `lastSeen`).
    public func reportDeployment(instance: String, name: String, version: Int, at now: Int64) async throws -> Deployment
    {
        try await write { transaction in
            let rows = try await transaction.rows(
                """
                INSERT INTO deployments (instance, name, version, first_seen, last_seen) VALUES (\(instance), \(name), \(version), \(now), \(now))
                ON CONFLICT (instance, name) DO UPDATE SET version = excluded.version, last_seen = excluded.last_seen
                RETURNING first_seen
                """)
            let firstSeen = try rows.first?.decode(Int64.self) ?? now
            return Deployment(
                instance: instance, name: name, version: version, firstSeenMillis: firstSeen, lastSeenMillis: now)
        }
    }

    /// Every deployment report (only of `name` when given), by name, version and instance.
    public func deployments(name: String?) async throws -> [Deployment] {
        let logger = logger
        return try await withConnection { connection in
            let query: PostgresQuery =
                if let name {
                    "SELECT instance, name, version, first_seen, last_seen FROM deployments WHERE name = \(name) ORDER BY name, version, instance"
                } else {
                    "SELECT instance, name, version, first_seen, last_seen FROM deployments ORDER BY name, version, instance"
                }
            return try await connection.query(query, logger: logger).collect().map { row in
                let (instance, name, version, first, last) = try row.decode((String, String, Int, Int64, Int64).self)
                return Deployment(
                    instance: instance, name: name, version: version, firstSeenMillis: first, lastSeenMillis: last)
            }
        }
    }

    /// Sets or removes an alias inside `transaction`, with its history entry and queued
    /// `alias.moved` event. Takes the name's `model_names` row lock first (a no-op when the
    /// transaction holds it), so concurrent moves of one alias see each other's result.
    static func moveAlias(
        _ transaction: PostgresWrite, name: String, alias: String, to version: Int?, who: String, at now: Int64
    ) async throws -> AliasChange {
        try await transaction.rows("SELECT 1 FROM model_names WHERE name = \(name) FOR UPDATE")
        let current = try await transaction.rows(
            "SELECT version FROM aliases WHERE name = \(name) AND alias = \(alias)"
        )
        .first?.decode(Int.self)
        if let version {
            guard
                let versionID = try await transaction.rows(
                    "SELECT id FROM model_versions WHERE name = \(name) AND version = \(version)"
                ).first?.decode(Int64.self)
            else {
                throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)")
            }
            if current == version {
                return AliasChange(
                    name: name, alias: alias, fromVersion: current, toVersion: version, who: who, createdMillis: now)
            }
            try await transaction.rows(
                """
                INSERT INTO aliases (name, alias, version, version_id, updated) VALUES (\(name), \(alias), \(version), \(versionID), \(now))
                ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, version_id = excluded.version_id,
                    updated = excluded.updated
                """)
        } else {
            guard current != nil else { throw RegistryError.notFound(kind: "alias", reference: "\(name)@\(alias)") }
            try await transaction.rows("DELETE FROM aliases WHERE name = \(name) AND alias = \(alias)")
        }
        try await transaction.rows(
            """
            INSERT INTO alias_history (name, alias, from_version, to_version, who, created)
            VALUES (\(name), \(alias), \(current), \(version), \(who), \(now))
            """)
        let change = AliasChange(
            name: name, alias: alias, fromVersion: current, toVersion: version, who: who, createdMillis: now)
        transaction.queueEvent(.aliasMoved, name: name, payload: try EventPayload.aliasMoved(change), at: now)
        return change
    }
}
