/// 0x0115 AliasSet: points an alias at a version (creating or moving it).
public struct AliasSetRequest: RegistryCall, Equatable {
    /// The recorded change.
    public typealias Response = AliasChange
    /// 0x0115.
    public static let opcode = Opcode.aliasSet
    /// Model name.
    public var name: String
    /// Alias.
    public var alias: String
    /// Target version.
    public var version: Int
    /// Who moves it.
    public var who: String

    public init(name: String, alias: String, version: Int, who: String = "") {
        self.name = name
        self.alias = alias
        self.version = version
        self.who = who
    }
}

/// 0x0116 AliasRemove: deletes an alias.
public struct AliasRemoveRequest: RegistryCall, Equatable {
    /// The recorded change.
    public typealias Response = AliasChange
    /// 0x0116.
    public static let opcode = Opcode.aliasRemove
    /// Model name.
    public var name: String
    /// Alias.
    public var alias: String
    /// Who removes it.
    public var who: String

    public init(name: String, alias: String, who: String = "") {
        self.name = name
        self.alias = alias
        self.who = who
    }
}

/// 0x0117 AliasHistory: every move of a name's aliases (or one alias), oldest first.
public struct AliasHistoryRequest: RegistryCall, Equatable {
    /// The changes.
    public typealias Response = RegistryList<AliasChange>
    /// 0x0117.
    public static let opcode = Opcode.aliasHistory
    /// Model name.
    public var name: String
    /// Only this alias, when set.
    public var alias: String?

    public init(name: String, alias: String? = nil) {
        self.name = name
        self.alias = alias
    }
}
