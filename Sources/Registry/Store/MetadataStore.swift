import Wire

/// Where the registry keeps its index and event log: datasets, model names and versions, tags,
/// metrics, aliases and their history, deployments, and the outbox of events.
///
/// Two implementations: ``SQLiteMetadataStore`` (the embedded default, one process) and
/// ``PostgresMetadataStore`` (shared by any number of registry replicas). ``RegistryStore``
/// validates every argument before calling in, so implementations only store and query. Every
/// write commits its change and its event in one transaction; `now` is the caller's clock
/// (milliseconds since the epoch).
public protocol MetadataStore: Sendable {
    /// Indexes a dataset and logs `dataset.pushed`; when `(name, sha256)` is already indexed, returns
    /// that record and logs nothing.
    func insertDataset(_ record: DatasetRecord) async throws -> DatasetRecord
    /// Every dataset push, by name then newest first; only those under `name` when given.
    func datasets(name: String?) async throws -> [DatasetRecord]
    /// The dataset a parsed reference names (an ambiguous digest prefix throws `ambiguous`).
    func dataset(_ reference: DatasetReference) async throws -> DatasetRecord

    /// Allocates the name's next version from its counter and inserts it with its tags and metrics,
    /// logs `model.published`, and points `alias` at it when given (logging `alias.moved`), all in
    /// one transaction. Versions stay monotonic and gap-free per name across concurrent writers.
    /// The draft's (`ModelVersion.draft`) number, creation time, aliases and row id are assigned here.
    func insertVersion(_ draft: ModelVersion, alias: String?, who: String, at now: Int64) async throws
        -> ModelVersion
    /// The version a parsed reference names, with its tags, metrics and aliases.
    func model(_ reference: ModelReference) async throws -> ModelVersion
    /// Every existing version of `name`, oldest first.
    func versions(of name: String) async throws -> [ModelVersion]
    /// Every model name with its version count, latest and next version, and aliases.
    func modelNames() async throws -> [ModelSummary]
    /// The versions a parsed query matches.
    func search(_ query: ModelQuery) async throws -> [ModelVersion]
    /// Deletes a version (refused with `versionAliased` while an alias points at it) and logs `model.deleted`.
    func deleteVersion(name: String, version: Int, who: String, at now: Int64) async throws -> ModelVersion

    /// Sets (`version` non-nil) or removes an alias, records the history entry and logs `alias.moved`,
    /// in one transaction. Setting it to the version it already names changes nothing.
    func moveAlias(name: String, alias: String, to version: Int?, who: String, at now: Int64) async throws
        -> AliasChange
    /// The aliases of `name`: alias → version.
    func aliases(of name: String) async throws -> [String: Int]
    /// Every recorded move of the aliases of `name` (only of `alias` when given), oldest first.
    func aliasHistory(name: String, alias: String?) async throws -> [AliasChange]

    /// Records that predictor `instance` serves `name@version`.
    func reportDeployment(instance: String, name: String, version: Int, at now: Int64) async throws -> Deployment
    /// Every deployment report (only of `name` when given), by name, version and instance.
    func deployments(name: String?) async throws -> [Deployment]

    /// The sequence number of the latest event (0 when the log is empty).
    func latestSequence() async throws -> Int64
    /// Events with a sequence number above `sequence`, oldest first, at most `limit`, only of `kinds`
    /// (every kind when empty). Resuming from the last sequence seen returns exactly the events
    /// committed after it, each once.
    func events(after sequence: Int64, kinds: Set<EventKind>, limit: Int) async throws -> [RegistryEvent]
    /// A stream that yields (coalesced) after changes commit — on any replica, for a shared store.
    /// A signal carries no event: read `events(after:)` from the last sequence seen.
    func eventSignals() -> AsyncStream<Void>

    /// Every blob the index references, with what references it (`dataset NAME@SHA`, `model NAME@N`).
    func referencedBlobs() async throws -> [BlobReference]
    /// Runs `body` — store a blob, then index it — while garbage collection cannot run, on this or
    /// any other replica sharing the store. `digest` is the blob about to be referenced.
    func whileWritingBlob<T: Sendable>(_ digest: String, _ body: () async throws -> T) async throws -> T
    /// Runs `body` while no write can be between storing a blob and indexing it. `body` receives the
    /// digests that in-flight writes hold (empty where writers are excluded instead).
    func whileCollectingGarbage<T: Sendable>(_ body: (Set<String>) async throws -> T) async throws -> T

    /// The engine and where it is, for Health and logs (`SQLite /data/index.sqlite`, `PostgreSQL db@host:port`).
    var engine: String { get }
    /// Whether the store answers, for Health (`nil` when it does; otherwise what is wrong).
    func problem() async -> String?
    /// Releases connections and background tasks.
    func close() async
}

extension ModelVersion {
    /// A version about to be inserted (``MetadataStore/insertVersion(_:alias:who:at:)`` assigns
    /// its number, creation time and row id): everything the publisher gives.
    public static func draft(
        name: String, bundleSHA256: String, bundleSize: Int64, datasetSHA256: String, description: String,
        threshold: Double, hyperparameters: String, lineage: String, tags: [String: String], metrics: [String: Double]
    ) -> ModelVersion {
        ModelVersion(
            name: name, version: 0, bundleSHA256: bundleSHA256, bundleSize: bundleSize, datasetSHA256: datasetSHA256,
            createdMillis: 0, description: description, threshold: threshold, hyperparameters: hyperparameters,
            lineage: lineage, tags: tags, metrics: metrics, aliases: [], rowID: 0)
    }

    /// This draft as stored: numbered `number`, created at `createdMillis`, with row id `rowID` and
    /// no aliases yet.
    func inserted(number: Int, rowID: Int64, createdMillis: Int64) -> ModelVersion {
        var version = self
        version.version = number
        version.rowID = rowID
        version.createdMillis = createdMillis
        version.aliases = []
        return version
    }
}

/// A blob the index references, and what references it.
public struct BlobReference: Sendable, Equatable {
    /// `dataset NAME@SHA256` or `model NAME@VERSION`.
    public var owner: String
    /// The blob's SHA-256.
    public var digest: String
}
