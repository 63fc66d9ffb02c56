import GRDB
import ServiceKit

/// The registry's SQLite index (through GRDB): datasets, model names and versions, tags,
/// metrics, aliases and their history, deployments and the event log.
///
/// Opened as a `DatabasePool` in WAL mode with `synchronous = FULL`, so a committed transaction
/// (an acknowledged write) survives a power loss, and readers never wait for the writer. Writes
/// are serialised by the pool. The schema is created and upgraded by `RegistryMigrations`.
/// Checkpoints run in the background (`WALCheckpointer`) rather than inside commits.
final class RegistryIndex: Sendable {
    /// WAL pages after which a commit checkpoints by itself: a safety net for when the background
    /// checkpointer falls behind (SQLite's default is 1,000).
    static let autoCheckpointPages = 20_000

    /// The database file.
    let path: String
    /// The connection pool.
    let pool: DatabasePool
    /// The background checkpointer.
    private let checkpointer: WALCheckpointer
    /// Wakes subscribers after every committed write.
    let notifier = EventNotifier()

    /// Opens (creating and migrating when needed) the index at `path`.
    init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.label = "churn.registry"
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(RegistryIndex.autoCheckpointPages)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try RegistryMigrations.migrator.migrate(pool)
            checkpointer = try WALCheckpointer(path: path)
        } catch let error as DatabaseError {
            throw RegistryError.database("\(path): \(error.message ?? error.description)")
        }
    }

    /// Runs `body` in one write transaction (all of it commits, or none), then wakes event
    /// subscribers. Database failures
    /// become `RegistryError.database`; registry errors thrown by `body` pass through.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            let result = try pool.write(body)
            checkpointer.noteWrite()
            notifier.signal()
            return result
        } catch let error as DatabaseError {
            throw RegistryError.database(error.message ?? error.description)
        }
    }

    /// `write(_:)` from async code: GRDB runs `body` on its writer queue, not on a cooperative thread.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            let result = try await pool.write(body)
            checkpointer.noteWrite()
            notifier.signal()
            return result
        } catch let error as DatabaseError {
            throw RegistryError.database(error.message ?? error.description)
        }
    }

    /// `write(_:)` for a keyed write: when the task serves a keyed request
    /// (`IdempotentRequest.current`), the same transaction first looks the key up — throwing
    /// `IdempotentReplay` with the first answer when it was applied before — and records it with
    /// the answer before committing.
    func keyedWrite<T: Sendable & Encodable>(
        at now: Int64, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        guard let request = IdempotentRequest.current else { return try await write(body) }
        return try await write { db in
            if let replay = try SQLiteIdempotencyLedger.replay(db, request, at: now) { throw replay }
            let result = try body(db)
            try SQLiteIdempotencyLedger.record(db, request, outcome: try IdempotentRequest.outcome(result), at: now)
            return result
        }
    }

    /// `read(_:)` from async code: GRDB runs `body` on a reader queue, not on a cooperative thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw RegistryError.database(error.message ?? error.description)
        }
    }

    /// Runs `body` on a consistent read-only snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as DatabaseError {
            throw RegistryError.database(error.message ?? error.description)
        }
    }
}
