/// How a client names a model version: `name` (the latest version), `name@7` (a version) or
/// `name@production` (the version an alias points at).
public enum ModelReference: Sendable, Equatable, CustomStringConvertible {
    /// The highest existing version of the model.
    case latest(name: String)
    /// A specific version.
    case version(name: String, version: Int)
    /// The version an alias points at.
    case alias(name: String, alias: String)

    /// Parses and validates a reference.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        try NameRules.validateName(name, kind: "model")
        guard parts.count == 2 else {
            self = .latest(name: name)
            return
        }
        let suffix = String(parts[1])
        if !suffix.isEmpty, suffix.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard suffix.utf8.count <= 9, let version = Int(suffix), version >= 1 else {
                throw RegistryError.invalidReference(
                    "\"\(RegistryError.abbreviated(text))\": version must be 1…999999999")
            }
            self = .version(name: name, version: version)
        } else {
            try NameRules.validateAlias(suffix)
            self = .alias(name: name, alias: suffix)
        }
    }

    /// The model name.
    public var name: String {
        switch self {
        case .latest(let name), .version(let name, _), .alias(let name, _): return name
        }
    }

    /// The reference as written.
    public var description: String {
        switch self {
        case .latest(let name): return name
        case .version(let name, let version): return "\(name)@\(version)"
        case .alias(let name, let alias): return "\(name)@\(alias)"
        }
    }
}

/// How a client names a dataset: `name` (the latest push under that name) or `name@ab12…` (the
/// push whose SHA-256 starts with a hex prefix of at least 4 characters).
public enum DatasetReference: Sendable, Equatable, CustomStringConvertible {
    /// The latest push under the name.
    case latest(name: String)
    /// The push under the name whose digest starts with the prefix (lower-case hex).
    case digest(name: String, prefix: String)

    /// Parses and validates a reference.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        try NameRules.validateName(name, kind: "dataset")
        if parts.count == 2 {
            self = .digest(name: name, prefix: try NameRules.normalizedPrefix(String(parts[1])))
        } else {
            self = .latest(name: name)
        }
    }

    /// The dataset name.
    public var name: String {
        switch self {
        case .latest(let name), .digest(let name, _): return name
        }
    }

    /// The reference as written (prefix lower-cased).
    public var description: String {
        switch self {
        case .latest(let name): return name
        case .digest(let name, let prefix): return "\(name)@\(prefix)"
        }
    }
}
