/// 0x0118 GC: removes (or, dry run, lists) blobs no dataset or version references.
public struct GCRequest: RegistryCall, Equatable {
    /// What was (or would be) removed.
    public typealias Response = GCReport
    /// 0x0118.
    public static let opcode = Opcode.registryGC
    /// Only report.
    public var dryRun: Bool

    public init(dryRun: Bool) { self.dryRun = dryRun }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey { case dryRun = "dry_run" }
}

/// 0x0119 DeploymentReport: a predictor instance reports the version it serves.
public struct DeploymentReportRequest: RegistryCall, Equatable {
    /// The stored report.
    public typealias Response = Deployment
    /// 0x0119.
    public static let opcode = Opcode.deploymentReport
    /// The reporting instance.
    public var instance: String
    /// Model name.
    public var name: String
    /// Version served.
    public var version: Int

    public init(instance: String, name: String, version: Int) {
        self.instance = instance
        self.name = name
        self.version = version
    }
}

/// 0x011A Deployments: the latest report of every instance (of one name, when set).
public struct DeploymentsRequest: RegistryCall, Equatable {
    /// The reports.
    public typealias Response = RegistryList<Deployment>
    /// 0x011A.
    public static let opcode = Opcode.deployments
    /// Only this model name, when set.
    public var name: String?

    public init(name: String? = nil) { self.name = name }
}

/// 0x011B Events: the poll form of the event log — events after a sequence, oldest first.
public struct EventsRequest: RegistryCall, Equatable {
    /// The events and the log's head.
    public typealias Response = EventsResponse
    /// 0x011B.
    public static let opcode = Opcode.registryEvents
    /// Return events with a sequence above this.
    public var after: Int64
    /// At most this many (1…10,000).
    public var limit: Int

    public init(after: Int64, limit: Int = 1000) {
        self.after = after
        self.limit = limit
    }
}

/// Events' answer.
public struct EventsResponse: Codable, Sendable, Equatable {
    /// The events.
    public var events: [RegistryEvent]
    /// The latest sequence in the log.
    public var head: Int64

    public init(events: [RegistryEvent], head: Int64) {
        self.events = events
        self.head = head
    }
}
