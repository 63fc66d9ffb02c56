import Wire
import ChurnML
import GRDB
import Logging

/// The registry's durable storage engine: the façade a registry service calls.
///
/// A data directory holds content-addressed blobs (`BlobStore`) and the SQLite index
/// (`RegistryIndex`, file `index.sqlite`). Every mutation follows one order: the blob first
/// (written and fsynced), then one index transaction holding both the change and its event. A
/// crash between the two leaves only an unreferenced blob, which `gc` removes; a version is never
/// half-visible, and an acknowledged change survives a power loss.
///
/// Thread-safe (`Sendable`): index writes are serialised by GRDB, reads run in parallel on WAL
/// snapshots. Methods block on disk I/O (fsync); call them off event-loop threads. Only one
/// `RegistryStore` may use a data directory at a time (enforced with a lock file).
public final class RegistryStore: Sendable {
    /// The data directory.
    public let directory: String
    /// The blob store inside the data directory.
    public let blobs: BlobStore
    /// The index.
    let index: RegistryIndex
    /// Digests of in-flight writes, which `gc` must not delete.
    let pins = BlobPins()
    /// Keeps other processes out of the data directory.
    private let lock: DirectoryLock
    /// The time source (milliseconds since the epoch); injectable for tests.
    let clock: @Sendable () -> Int64
    /// Where notable maintenance is logged.
    let logger: Logger

    /// Opens (creating when needed) the registry in `directory`: takes the directory lock,
    /// deletes temporary files left by a crashed process, and opens and migrates the index.
    public init(
        directory: String, clock: @escaping @Sendable () -> Int64 = Timestamp.nowMillis,
        logger: Logger = Logger(label: "churn.registry")
    ) throws {
        try FileSystem.makeDirectory(directory)
        lock = try DirectoryLock(directory: directory)
        blobs = try BlobStore(directory: directory)
        self.directory = blobs.directory
        self.clock = clock
        self.logger = logger
        let leftovers = try blobs.removeTemporaryFiles()
        if leftovers > 0 {
            logger.notice("removed unfinished uploads left by an earlier process", metadata: ["files": "\(leftovers)"])
        }
        index = try RegistryIndex(path: blobs.directory + "/index.sqlite")
    }

    /// Starts a chunked upload of a dataset or bundle blob; after `commit`, pass its digest to
    /// `registerDataset(name:sha256:…)` or `publishModel(name:bundleSHA256:…)`.
    public func beginUpload(maximumBytes: Int64 = Int64.max) throws -> BlobUpload {
        try blobs.beginUpload(maximumBytes: maximumBytes)
    }

    /// The sequence number of the latest event (0 when the log is empty).
    public func latestSequence() throws -> Int64 {
        try index.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0 }
    }

    /// Events with a sequence number above `sequence`, oldest first, at most `limit` of them,
    /// only of `kinds` (every kind when empty). Resuming with the last sequence seen returns
    /// exactly the events committed after it.
    public func events(after sequence: Int64, kinds: Set<EventKind> = [], limit: Int = 1000) throws -> [RegistryEvent] {
        guard limit >= 0 else { throw RegistryError.invalidArgument("limit must not be negative") }
        var sql = "SELECT seq, kind, name, payload, created FROM events WHERE seq > ?"
        var arguments: [(any DatabaseValueConvertible)?] = [sequence]
        if !kinds.isEmpty {
            let sorted = kinds.map(\.rawValue).sorted()
            sql += " AND kind IN (" + Array(repeating: "?", count: sorted.count).joined(separator: ", ") + ")"
            arguments += sorted.map { $0 as (any DatabaseValueConvertible)? }
        }
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(limit)
        let statementArguments = StatementArguments(arguments)
        return try index.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                let kindText: String = try row.decode(atIndex: 1)
                guard let kind = EventKind(rawValue: kindText) else {
                    throw RegistryError.database("unknown event kind \"\(kindText)\" in the log")
                }
                return RegistryEvent(
                    sequence: try row.decode(atIndex: 0), kind: kind, name: try row.decode(atIndex: 2),
                    payload: try row.decode(atIndex: 3), createdMillis: try row.decode(atIndex: 4))
            }
        }
    }

    /// A stream that yields (coalesced) after every committed change, for subscriptions that
    /// wait for new events: on each signal, read `events(after:)` from the last sequence seen.
    /// Read once before waiting, so that nothing committed before the stream was made is missed.
    public func eventSignals() -> AsyncStream<Void> {
        index.notifier.signals()
    }

    /// Appends an event inside the caller's transaction and returns its sequence number.
    @discardableResult
    static func appendEvent(
        _ db: Database, kind: EventKind, name: String, payload: [String: JSONValue], at time: Int64
    ) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO events (kind, name, payload, created) VALUES (?, ?, ?, ?)")
            .execute(arguments: [kind.rawValue, name, try JSONText.encode(JSONValue.object(payload)), time])
        return db.lastInsertedRowID
    }

    /// Checks `who` (free text naming the caller in alias history and events).
    static func validateWho(_ who: String) throws {
        guard who.utf8.count <= 256 else { throw RegistryError.invalidArgument("\"who\" is longer than 256 bytes") }
        try NameRules.validateText(who, what: "\"who\"")
    }
}
