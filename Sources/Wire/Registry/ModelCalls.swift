/// 0x0110 ModelPublish: publishes a bundle blob already uploaded (BlobUpload*) as the name's next version.
public struct ModelPublishRequest: RegistryCall, Hashable {
    /// The new version.
    public typealias Response = ModelVersion
    /// 0x0110.
    public static let opcode = Opcode.modelPublish
    /// Model name.
    public var name: String
    /// SHA-256 (hex) of the uploaded bundle.
    public var sha256: String
    /// Publisher tags.
    public var tags: [String: String]
    /// Free-text description.
    public var description: String
    /// An alias to point at the new version, if any.
    public var alias: String?
    /// Who publishes (free text; the server uses the client name from Hello when empty).
    public var who: String

    public init(
        name: String, sha256: String, tags: [String: String] = [:], description: String = "", alias: String? = nil,
        who: String = ""
    ) {
        self.name = name
        self.sha256 = sha256
        self.tags = tags
        self.description = description
        self.alias = alias
        self.who = who
    }
}

/// 0x0111 ModelShow: one version by `name` (latest), `name@version` or `name@alias`.
public struct ModelShowRequest: RegistryCall, Equatable {
    /// The version and where versions of the name are live.
    public typealias Response = ModelShowResponse
    /// 0x0111.
    public static let opcode = Opcode.modelShow
    /// The reference.
    public var reference: String

    public init(reference: String) { self.reference = reference }
}

/// ModelShow's answer.
public struct ModelShowResponse: Codable, Sendable, Equatable {
    /// The version (with tags, metrics and aliases).
    public var version: ModelVersion
    /// Every deployment report of the name (which instance serves which version).
    public var deployments: [Deployment]

    public init(version: ModelVersion, deployments: [Deployment]) {
        self.version = version
        self.deployments = deployments
    }
}

/// 0x0112 ModelList: without a name, the names with counts and aliases; with one, its versions.
public struct ModelListRequest: RegistryCall, Equatable {
    /// Names or versions.
    public typealias Response = ModelListResponse
    /// 0x0112.
    public static let opcode = Opcode.modelList
    /// The name whose versions to list, or nil for all names.
    public var name: String?

    public init(name: String? = nil) { self.name = name }
}

/// ModelList's answer: `models` without a name, `versions` with one.
public struct ModelListResponse: Codable, Sendable, Equatable {
    /// Names with counts and aliases.
    public var models: [ModelSummary]?
    /// One name's versions, oldest first.
    public var versions: [ModelVersion]?

    public init(models: [ModelSummary]? = nil, versions: [ModelVersion]? = nil) {
        self.models = models
        self.versions = versions
    }
}

/// 0x0113 ModelSearch: versions matching a query of the registry query language.
public struct ModelSearchRequest: RegistryCall, Equatable {
    /// The matching versions, in the query's order.
    public typealias Response = RegistryList<ModelVersion>
    /// 0x0113.
    public static let opcode = Opcode.modelSearch
    /// The query, e.g. `name = "bank" and metrics.roc_auc >= 0.86 order by created desc limit 5`.
    public var query: String

    public init(query: String) { self.query = query }
}

/// 0x0114 ModelDelete: deletes one version (refused while an alias points at it).
public struct ModelDeleteRequest: RegistryCall, Equatable {
    /// The deleted version.
    public typealias Response = ModelVersion
    /// 0x0114.
    public static let opcode = Opcode.modelDelete
    /// Model name.
    public var name: String
    /// Version number.
    public var version: Int
    /// Who deletes.
    public var who: String

    public init(name: String, version: Int, who: String = "") {
        self.name = name
        self.version = version
        self.who = who
    }
}
