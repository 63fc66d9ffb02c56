import Wire
import GRDB

extension RegistryStore {
    /// Points `alias` of model `name` at `version` (creating or moving it), records the move in
    /// the alias history and logs `alias.moved`, in one transaction. The version must exist.
    /// Setting an alias to the version it already points at changes nothing and returns a change
    /// whose `fromVersion == toVersion`.
    @discardableResult
    public func setAlias(name: String, alias: String, version: Int, who: String = "") throws -> AliasChange {
        try NameRules.validateName(name, kind: "model")
        try NameRules.validateAlias(alias)
        try Self.validateWho(who)
        let now = clock()
        return try index.write { db in
            try Self.moveAlias(db, name: name, alias: alias, to: version, who: who, at: now)
        }
    }

    /// Removes `alias` of model `name`, records it in the history (`toVersion == nil`) and logs
    /// `alias.moved`. Throws `notFound` when there is no such alias.
    @discardableResult
    public func removeAlias(name: String, alias: String, who: String = "") throws -> AliasChange {
        try NameRules.validateName(name, kind: "model")
        try NameRules.validateAlias(alias)
        try Self.validateWho(who)
        let now = clock()
        return try index.write { db in
            try Self.moveAlias(db, name: name, alias: alias, to: nil, who: who, at: now)
        }
    }

    /// The aliases of model `name`: alias → version.
    public func aliases(of name: String) throws -> [String: Int] {
        try NameRules.validateName(name, kind: "model")
        return try index.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT alias, version FROM aliases WHERE name = ?", arguments: [name]) {
                result[try row.decode(String.self, atIndex: 0)] = try row.decode(Int.self, atIndex: 1)
            }
            return result
        }
    }

    /// Every recorded move of the aliases of `name` (only of `alias` when given), oldest first.
    public func aliasHistory(name: String, alias: String? = nil) throws -> [AliasChange] {
        try NameRules.validateName(name, kind: "model")
        if let alias { try NameRules.validateAlias(alias) }
        return try index.read { db in
            let sql = "SELECT name, alias, from_version, to_version, who, created FROM alias_history WHERE name = ?"
                + (alias == nil ? "" : " AND alias = ?") + " ORDER BY id"
            let arguments: StatementArguments = alias.map { [name, $0] } ?? [name]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                AliasChange(
                    name: try row.decode(atIndex: 0), alias: try row.decode(atIndex: 1),
                    fromVersion: try row.decode(atIndex: 2), toVersion: try row.decode(atIndex: 3),
                    who: try row.decode(atIndex: 4), createdMillis: try row.decode(atIndex: 5))
            }
        }
    }

    /// Records that predictor `instance` serves `name@version` now (first report creates the
    /// entry, later ones move it and refresh `lastSeen`).
    @discardableResult
    public func reportDeployment(instance: String, name: String, version: Int) throws -> Deployment {
        guard !instance.isEmpty, instance.utf8.count <= 256 else {
            throw RegistryError.invalidArgument("the instance id must be 1 to 256 bytes")
        }
        try NameRules.validateText(instance, what: "instance id")
        try NameRules.validateName(name, kind: "model")
        guard version >= 1 else { throw RegistryError.invalidArgument("version must be at least 1") }
        let now = clock()
        return try index.write { db in
            try db.execute(
                sql: """
                    INSERT INTO deployments (instance, name, version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (instance, name) DO UPDATE SET version = excluded.version, last_seen = excluded.last_seen
                    """,
                arguments: [instance, name, version, now, now])
            let firstSeen = try Int64.fetchOne(
                db, sql: "SELECT first_seen FROM deployments WHERE instance = ? AND name = ?", arguments: [instance, name])
            return Deployment(instance: instance, name: name, version: version, firstSeenMillis: firstSeen ?? now, lastSeenMillis: now)
        }
    }

    /// Where models are live: every deployment report (only of `name` when given), by name,
    /// version and instance.
    public func deployments(name: String? = nil) throws -> [Deployment] {
        if let name { try NameRules.validateName(name, kind: "model") }
        return try index.read { db in
            let sql = "SELECT instance, name, version, first_seen, last_seen FROM deployments"
                + (name == nil ? "" : " WHERE name = ?") + " ORDER BY name, version, instance"
            let arguments: StatementArguments = name.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                Deployment(
                    instance: try row.decode(atIndex: 0), name: try row.decode(atIndex: 1), version: try row.decode(atIndex: 2),
                    firstSeenMillis: try row.decode(atIndex: 3), lastSeenMillis: try row.decode(atIndex: 4))
            }
        }
    }

    /// Sets (`version` non-nil) or removes an alias inside the caller's transaction, with its
    /// history entry and `alias.moved` event.
    @discardableResult
    static func moveAlias(_ db: Database, name: String, alias: String, to version: Int?, who: String, at now: Int64) throws -> AliasChange {
        let current = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT version FROM aliases WHERE name = ? AND alias = ?"), arguments: [name, alias])
        if let version {
            guard let versionID = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM model_versions WHERE name = ? AND version = ?"),
                arguments: [name, version])
            else { throw RegistryError.notFound(kind: "model version", reference: "\(name)@\(version)") }
            if current == version {
                return AliasChange(name: name, alias: alias, fromVersion: current, toVersion: version, who: who, createdMillis: now)
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
            sql: "INSERT INTO alias_history (name, alias, from_version, to_version, who, created) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [name, alias, current, version, who, now])
        try appendEvent(
            db, kind: .aliasMoved, name: name,
            payload: ["alias": .string(alias), "from": .optional(current), "to": .optional(version), "who": .string(who)],
            at: now)
        return AliasChange(name: name, alias: alias, fromVersion: current, toVersion: version, who: who, createdMillis: now)
    }
}
