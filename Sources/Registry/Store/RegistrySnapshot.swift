import Wire

/// Everything a registry's metadata holds, row by row, for `churn registry migrate`: moving an
/// embedded registry into PostgreSQL without losing versions, counters, alias history, deployments
/// or events (sequence numbers included).
public struct RegistrySnapshot: Sendable, Equatable {
    /// A model name and its version counter.
    public struct ModelName: Sendable, Equatable {
        /// The name.
        public var name: String
        /// The next version number it hands out (deleted numbers are never reused).
        public var nextVersion: Int
        /// When the name was first published (ms).
        public var createdMillis: Int64
    }

    /// An alias as it points now.
    public struct Alias: Sendable, Equatable {
        /// The model name.
        public var name: String
        /// The alias.
        public var alias: String
        /// The version it points at.
        public var version: Int
        /// When it last moved (ms).
        public var updatedMillis: Int64
    }

    /// Datasets, oldest push first.
    public var datasets: [DatasetRecord] = []
    /// Model names with their counters, by name.
    public var modelNames: [ModelName] = []
    /// Model versions with tags and metrics, oldest first.
    public var versions: [ModelVersion] = []
    /// Current aliases.
    public var aliases: [Alias] = []
    /// Every alias move, oldest first.
    public var aliasHistory: [AliasChange] = []
    /// Deployment reports.
    public var deployments: [Deployment] = []
    /// The event log, by sequence.
    public var events: [RegistryEvent] = []

    /// An empty snapshot.
    public init() {}

    /// The blobs the snapshot references, each once, in first-reference order.
    public var blobDigests: [String] {
        var seen = Set<String>()
        return (datasets.map(\.sha256) + versions.map(\.bundleSHA256)).filter { seen.insert($0).inserted }
    }
}

/// Copying a whole registry's metadata in and out (``RegistrySnapshot``).
public protocol SnapshotableMetadataStore: MetadataStore {
    /// Every row, in a consistent read.
    func exportSnapshot() async throws -> RegistrySnapshot
    /// Inserts every row of `snapshot` in one transaction, keeping version numbers, counters,
    /// times and event sequence numbers. Refused unless the store is empty.
    func importSnapshot(_ snapshot: RegistrySnapshot) async throws
}
