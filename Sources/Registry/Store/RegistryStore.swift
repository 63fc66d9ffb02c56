import ChurnML
import Foundation
import Logging
import ServiceKit
import Wire

/// The registry's storage: the façade a registry service calls, over a ``MetadataStore`` (the
/// index and event log) and a ``BlobStorage`` (content-addressed bytes).
///
/// Embedded (`init(directory:)`, the default): a data directory holding the blob files and the
/// SQLite index, used by one process at a time (a lock file enforces it). Scaled: PostgreSQL and
/// an S3-compatible bucket, shared by any number of registry replicas.
///
/// Every mutation follows one order: the blob first (durable: fsynced, or S3 PUT complete), then one
/// metadata transaction holding both the change and its event. A crash between the two leaves only
/// an unreferenced blob, which `gc` removes; a version is never half-visible, and an acknowledged
/// change survives a crash. Arguments are validated here, before either store is called.
public final class RegistryStore: Sendable {
    /// The index and event log.
    public let metadata: any MetadataStore
    /// The blob bytes.
    public let blobs: any BlobStorage
    /// The data directory of an embedded store (nil for a scaled one).
    public let directory: String?
    /// Keeps other processes out of an embedded store's data directory.
    private let lock: DirectoryLock?
    /// The time source (milliseconds since the epoch); injectable for tests.
    let clock: @Sendable () -> Int64
    /// Where notable maintenance is logged.
    let logger: Logger

    /// Opens (creating when needed) the embedded registry in `directory`: takes the directory lock,
    /// deletes temporary files left by a crashed process, and opens and migrates the index.
    public convenience init(
        directory: String, clock: @escaping @Sendable () -> Int64 = Timestamp.nowMillis,
        logger: Logger = Logger(label: "churn.registry")
    ) throws {
        try FileSystem.makeDirectory(directory)
        let lock = try DirectoryLock(directory: directory)
        let blobs = try FileBlobStore(directory: directory)
        let leftovers = try blobs.directory.removeTemporaryFiles()
        if leftovers > 0 {
            logger.notice("removed unfinished uploads left by an earlier process", metadata: ["files": "\(leftovers)"])
        }
        let metadata = try SQLiteMetadataStore(path: blobs.directory.directory + "/index.sqlite")
        self.init(
            metadata: metadata, blobs: blobs, directory: blobs.directory.directory, lock: lock, clock: clock,
            logger: logger)
    }

    /// A registry over the given stores (for example PostgreSQL and S3, or SQLite and S3).
    public convenience init(
        metadata: any MetadataStore, blobs: any BlobStorage,
        clock: @escaping @Sendable () -> Int64 = Timestamp.nowMillis,
        logger: Logger = Logger(label: "churn.registry")
    ) {
        self.init(metadata: metadata, blobs: blobs, directory: nil, lock: nil, clock: clock, logger: logger)
    }

    /// A registry over the given stores, holding `lock` on its data directory when it has one.
    init(
        metadata: any MetadataStore, blobs: any BlobStorage, directory: String?, lock: DirectoryLock?,
        clock: @escaping @Sendable () -> Int64 = Timestamp.nowMillis, logger: Logger
    ) {
        self.metadata = metadata
        self.blobs = blobs
        self.directory = directory
        self.lock = lock
        self.clock = clock
        self.logger = logger
    }

    /// Starts a chunked upload of a dataset or bundle blob; after `commit`, pass its digest to
    /// `registerDataset(name:sha256:…)` or `publishModel(name:bundleSHA256:…)`.
    public func beginUpload(maximumBytes: Int64 = Int64.max) throws -> BlobUpload {
        try blobs.beginUpload(maximumBytes: maximumBytes)
    }

    /// The sequence number of the latest event (0 when the log is empty).
    public func latestSequence() async throws -> Int64 {
        try await metadata.latestSequence()
    }

    /// Events with a sequence number above `sequence`, oldest first, at most `limit` of them,
    /// only of `kinds` (every kind when empty). Resuming with the last sequence seen returns
    /// exactly the events committed after it.
    public func events(after sequence: Int64, kinds: Set<EventKind> = [], limit: Int = 1000) async throws
        -> [RegistryEvent]
    {
        guard limit >= 0 else { throw RegistryError.invalidArgument("limit must not be negative") }
        return try await metadata.events(after: sequence, kinds: kinds, limit: limit)
    }

    /// A stream that yields (coalesced) after every committed change, for subscriptions that
    /// wait for new events: on each signal, read `events(after:)` from the last sequence seen.
    /// Read once before waiting, so that nothing committed before the stream was made is missed.
    public func eventSignals() -> AsyncStream<Void> {
        metadata.eventSignals()
    }

    /// Both stores' state for Health: serving when both answer, degraded naming what does not.
    /// The detail names each engine and whether it is reachable.
    public func health() async -> HealthResponse {
        async let metadataProblem = metadata.problem()
        async let blobProblem = blobs.problem()
        let (metadataState, blobState) = (await metadataProblem, await blobProblem)
        let detail =
            "metadata: \(metadata.engine) \(metadataState.map { "unreachable (\($0))" } ?? "reachable"); "
            + "blobs: \(blobs.engine) \(blobState.map { "unreachable (\($0))" } ?? "reachable")"
        return HealthResponse(status: metadataState == nil && blobState == nil ? .serving : .degraded, detail: detail)
    }

    /// Releases both stores' connections and, for an embedded store, its data directory's lock.
    public func close() async {
        await metadata.close()
        await blobs.close()
        lock?.release()
    }

    /// Checks `who` (free text naming the caller in alias history and events).
    static func validateWho(_ who: String) throws {
        guard who.utf8.count <= 256 else { throw RegistryError.invalidArgument("\"who\" is longer than 256 bytes") }
        try NameRules.validateText(who, what: "\"who\"")
    }

    /// Runs CPU-heavy or blocking work (describing a dataset, decoding a bundle) off the cooperative threads.
    static func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingIO.run(body)
    }
}
