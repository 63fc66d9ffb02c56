import Wire

extension RegistryStore {
    /// Points `alias` of model `name` at `version` (creating or moving it), records the move in
    /// the alias history and logs `alias.moved`, in one transaction. The version must exist.
    /// Setting an alias to the version it already points at changes nothing and returns a change
    /// whose `fromVersion == toVersion`.
    @discardableResult
    public func setAlias(name: String, alias: String, version: Int, who: String = "") async throws -> AliasChange {
        try validateAliasCall(name: name, alias: alias, who: who)
        return try await metadata.moveAlias(name: name, alias: alias, to: version, who: who, at: clock())
    }

    /// Removes `alias` of model `name`, records it in the history (`toVersion == nil`) and logs
    /// `alias.moved`. Throws `notFound` when there is no such alias.
    @discardableResult
    public func removeAlias(name: String, alias: String, who: String = "") async throws -> AliasChange {
        try validateAliasCall(name: name, alias: alias, who: who)
        return try await metadata.moveAlias(name: name, alias: alias, to: nil, who: who, at: clock())
    }

    /// The aliases of model `name`: alias → version.
    public func aliases(of name: String) async throws -> [String: Int] {
        try NameRules.validateName(name, kind: "model")
        return try await metadata.aliases(of: name)
    }

    /// Every recorded move of the aliases of `name` (only of `alias` when given), oldest first.
    public func aliasHistory(name: String, alias: String? = nil) async throws -> [AliasChange] {
        try NameRules.validateName(name, kind: "model")
        if let alias { try NameRules.validateAlias(alias) }
        return try await metadata.aliasHistory(name: name, alias: alias)
    }

    /// Records that predictor `instance` serves `name@version` now (first report creates the
    /// entry, later ones move it and refresh `lastSeen`).
    @discardableResult
    public func reportDeployment(instance: String, name: String, version: Int) async throws -> Deployment {
        guard !instance.isEmpty, instance.utf8.count <= 256 else {
            throw RegistryError.invalidArgument("the instance id must be 1 to 256 bytes")
        }
        try NameRules.validateText(instance, what: "instance id")
        try NameRules.validateName(name, kind: "model")
        guard version >= 1 else { throw RegistryError.invalidArgument("version must be at least 1") }
        return try await metadata.reportDeployment(instance: instance, name: name, version: version, at: clock())
    }

    /// Where models are live: every deployment report (only of `name` when given), by name,
    /// version and instance.
    public func deployments(name: String? = nil) async throws -> [Deployment] {
        if let name { try NameRules.validateName(name, kind: "model") }
        return try await metadata.deployments(name: name)
    }

    private func validateAliasCall(name: String, alias: String, who: String) throws {
        try NameRules.validateName(name, kind: "model")
        try NameRules.validateAlias(alias)
        try Self.validateWho(who)
    }
}
