import GRDB
import Wire

/// The embedded ``MetadataStore``: the SQLite index (``RegistryIndex``, WAL, `synchronous = FULL`)
/// in the registry's data directory. One process at a time (the data directory is locked by
/// ``RegistryStore``); writes are serialised by GRDB, reads run in parallel on WAL snapshots, and
/// every call runs on GRDB's queues, never on a cooperative thread.
public final class SQLiteMetadataStore: MetadataStore {
    /// The index.
    let index: RegistryIndex
    /// Digests of in-flight writes, which `gc` must not delete.
    private let pins = BlobPins()

    /// Opens (creating and migrating when needed) the index file at `path`.
    public init(path: String) throws {
        index = try RegistryIndex(path: path)
    }

    public func latestSequence() async throws -> Int64 {
        try await index.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0 }
    }

    public func events(after sequence: Int64, kinds: Set<EventKind>, limit: Int) async throws -> [RegistryEvent] {
        var sql = "SELECT seq, kind, name, payload, created FROM events WHERE seq > ?"
        var arguments: [(any DatabaseValueConvertible)?] = [sequence]
        if !kinds.isEmpty {
            let sorted = kinds.map(\.rawValue).sorted()
            sql += " AND kind IN (" + Array(repeating: "?", count: sorted.count).joined(separator: ", ") + ")"
            arguments += sorted.map { $0 as (any DatabaseValueConvertible)? }
        }
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(limit)
        let statementSQL = sql
        let statementArguments = StatementArguments(arguments)
        return try await index.read { db in
            try Row.fetchAll(db, sql: statementSQL, arguments: statementArguments).map(Self.event)
        }
    }

    public func eventSignals() -> AsyncStream<Void> {
        index.notifier.signals()
    }

    public func referencedBlobs() async throws -> [BlobReference] {
        try await index.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT 'dataset ' || name || '@' || sha256, sha256 FROM datasets
                    UNION ALL SELECT 'model ' || name || '@' || version, bundle_sha256 FROM model_versions
                    """
            ).map { BlobReference(owner: try $0.decode(atIndex: 0), digest: try $0.decode(atIndex: 1)) }
        }
    }

    public func whileWritingBlob<T: Sendable>(_ digest: String, _ body: () async throws -> T) async throws -> T {
        try await pins.withPin(digest, body)
    }

    public func whileCollectingGarbage<T: Sendable>(_ body: (Set<String>) async throws -> T) async throws -> T {
        try await pins.exclusively(body)
    }

    public var engine: String { "SQLite \(index.path)" }

    /// The index file is local: nothing to report while the process can run.
    public func problem() async -> String? {
        nil
    }

    /// Nothing to release: the pool closes when the store is dropped.
    public func close() async {}

    /// An event from a row of `seq, kind, name, payload, created`.
    static func event(_ row: Row) throws -> RegistryEvent {
        let kindText: String = try row.decode(atIndex: 1)
        guard let kind = EventKind(rawValue: kindText) else {
            throw RegistryError.database("unknown event kind \"\(kindText)\" in the log")
        }
        return RegistryEvent(
            sequence: try row.decode(atIndex: 0), kind: kind, name: try row.decode(atIndex: 2),
            payload: try row.decode(atIndex: 3), createdMillis: try row.decode(atIndex: 4))
    }

    /// Appends an event (its ``EventPayload`` JSON) inside the caller's transaction and returns its
    /// sequence number.
    @discardableResult
    static func appendEvent(_ db: Database, kind: EventKind, name: String, payload: String, at time: Int64) throws
        -> Int64
    {
        try db.cachedStatement(sql: "INSERT INTO events (kind, name, payload, created) VALUES (?, ?, ?, ?)")
            .execute(arguments: [kind.rawValue, name, payload, time])
        return db.lastInsertedRowID
    }
}
