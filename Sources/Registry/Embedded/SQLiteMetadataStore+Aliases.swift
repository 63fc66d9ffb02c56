import GRDB
import Wire

extension SQLiteMetadataStore {
    public func moveAlias(name: String, alias: String, to version: Int?, who: String, at now: Int64) async throws
        -> AliasChange
    {
        try await index.keyedWrite(at: now) { db in
            try Self.moveAlias(db, name: name, alias: alias, to: version, who: who, at: now)
        }
    }

    public func aliases(of name: String) async throws -> [String: Int] {
        try await index.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT alias, version FROM aliases WHERE name = ?", arguments: [name])
            {
                result[try row.decode(String.self, atIndex: 0)] = try row.decode(Int.self, atIndex: 1)
            }
            return result
        }
    }

    public func aliasHistory(name: String, alias: String?) async throws -> [AliasChange] {
        let sql =
            "SELECT name, alias, from_version, to_version, who, created FROM alias_history WHERE name = ?"
            + (alias == nil ? "" : " AND alias = ?") + " ORDER BY id"
        let arguments: StatementArguments = alias.map { [name, $0] } ?? [name]
        return try await index.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AliasChange(
                    name: try row.decode(atIndex: 0), alias: try row.decode(atIndex: 1),
                    fromVersion: try row.decode(atIndex: 2), toVersion: try row.decode(atIndex: 3),
                    who: try row.decode(atIndex: 4), createdMillis: try row.decode(atIndex: 5))
            }
        }
    }

    public func reportDeployment(instance: String, name: String, version: Int, at now: Int64) async throws -> Deployment
    {
        try await index.write { db in
            try db.execute(
                sql: """
                    INSERT INTO deployments (instance, name, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (instance, name) DO UPDATE SET version = excluded.version, last_seen = excluded.last_seen
                    """,
                arguments: [instance, name, version, now, now])
            let firstSeen = try Int64.fetchOne(
                db, sql: "SELECT first_seen FROM deployments WHERE instance = ? AND name = ?",
                arguments: [instance, name])
            return Deployment(
                instance: instance, name: name, version: version, firstSeenMillis: firstSeen ?? now, lastSeenMillis: now
            )
        }
    }

    public func deployments(name: String?) async throws -> [Deployment] {
        let sql =
            "SELECT instance, name, version, first_seen, last_seen FROM deployments"
            + (name == nil ? "" : " WHERE name = ?") + " ORDER BY name, version, instance"
        let arguments: StatementArguments = name.map { [$0] } ?? []
        return try await index.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                Deployment(
                    instance: try row.decode(atIndex: 0), name: try row.decode(atIndex: 1),
                    version: try row.decode(atIndex: 2),
                    firstSeenMillis: try row.decode(atIndex: 3), lastSeenMillis: try row.decode(atIndex: 4))
            }
        }
    }

    /// Sets (`version` non-nil) or removes an alias inside the caller's transaction, with its
    /// history entry and `alias.moved` event.
    @discardableResult
    static func moveAlias(_ db: Database, name: String, alias: String, to version: Int?, who: String, at now: Int64)
        throws -> AliasChange
    {
        let current = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT version FROM aliases WHERE name = ? AND alias = ?"),
            arguments: [name, alias])
        if let version {
            guard
                let versionID = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT id FROM model_versions WHERE name = ? AND version = ?"),
                    arguments: [name, version])
            else { throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)") }
            if current == version {
                return AliasChange(
                    name: name, alias: alias, fromVersion: current, toVersion: version, who: who, createdMillis: now)
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO aliases (name, alias, version, version_id, updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, version_id = excluded.version_id,
                        updated = excluded.updated
                    """
            ).execute(arguments: [name, alias, version, versionID, now])
        } else {
            guard current != nil else { throw RegistryError.notFound(kind: "alias", reference: "\(name)@\(alias)") }
            try db.execute(sql: "DELETE FROM aliases WHERE name = ? AND alias = ?", arguments: [name, alias])
        }
        try db.cachedStatement(
            sql:
                "INSERT INTO alias_history (name, alias, from_version, to_version, who, created) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [name, alias, current, version, who, now])
        let change = AliasChange(
            name: name, alias: alias, fromVersion: current, toVersion: version, who: who, createdMillis: now)
        try appendEvent(db, kind: .aliasMoved, name: name, payload: try EventPayload.aliasMoved(change), at: now)
        return change
    }
}
