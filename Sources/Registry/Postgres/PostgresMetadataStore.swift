import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import Synchronization
import Wire

/// The registry's metadata and event log on PostgreSQL, shared by any number of registry replicas.
///
/// Behaves as the embedded SQLite store does — same records, ordering and errors — with these
/// PostgreSQL-specific guarantees:
/// - every write is one transaction holding the change and its events (the outbox); event
///   sequence numbers are handed out by the `event_counter` row as the last statement, hence in
///   commit order and without gaps (see `PostgresWrite`); a serialization failure or deadlock
///   runs the transaction again (a few times);
/// - `eventSignals()` wakes on commits of any replica (`LISTEN`/`NOTIFY`, see
///   `PostgresEventListener`) and of this one;
/// - blob writes and garbage collection exclude each other across replicas through an advisory
///   lock (see `PostgresAdvisoryLock`);
/// - every operation has a deadline: while PostgreSQL is down calls fail with
///   `RegistryError.unavailable("PostgreSQL at HOST:PORT: …")` instead of hanging, and work again
///   once it is back (the pool reconnects by itself).
public final class PostgresMetadataStore: MetadataStore {
    /// Where the database is.
    public let location: PostgresLocation
    /// Limits and pool size.
    public let configuration: Configuration
    /// The connection pool.
    let client: PostgresClient
    /// Runs the pool until `close()`.
    private let runTask: Task<Void, Never>
    /// Wakes local subscribers (after local commits, and from the listener).
    let notifier = EventNotifier()
    /// The LISTEN connection, started by the first `eventSignals()`.
    let listener: PostgresEventListener
    /// Operation deadline.
    let deadline: PostgresDeadline
    /// Where statements and reconnections log.
    let logger: Logger
    private let closed = Atomic<Bool>(false)

    /// Creates a store for `location` and starts its connection pool; it connects lazily, so this
    /// does not fail when PostgreSQL is down (operations then fail with `unavailable`). Call
    /// `migrate()` before use (or use `connect(url:)`, which does both).
    public init(
        location: PostgresLocation, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "churn.registry.postgres")
    ) {
        self.location = location
        self.configuration = configuration
        self.logger = logger
        let clientConfiguration = location.clientConfiguration(
            maximumConnections: configuration.maximumConnections, connectTimeout: configuration.operationTimeout)
        client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        let client = client
        runTask = Task { await client.run() }
        deadline = PostgresDeadline(
            limit: configuration.operationTimeout, endpoint: location.endpoint, failures: .registry,
            probe: Self.probe(location: location, logger: logger))

        let connectionConfiguration = location.connectionConfiguration(connectTimeout: configuration.operationTimeout)
        listener = PostgresEventListener(configuration: connectionConfiguration, notifier: notifier, logger: logger)
    }

    /// Parses `url` (see `PostgresLocation`), connects and applies pending migrations.
    public static func connect(
        url: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "churn.registry.postgres")
    ) async throws -> PostgresMetadataStore {
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: url)
        } catch let error as PostgresLocation.InvalidURL {
            throw RegistryError.invalidArgument(error.description)
        }
        let store = PostgresMetadataStore(location: location, configuration: configuration, logger: logger)
        do {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Applies pending schema migrations (safe while other replicas do the same); returns the
    /// versions applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let logger = logger
        return try await withConnection("migrating") { connection in
            try await PostgresMigrations.migrate(connection, logger: logger, now: Timestamp.nowMillis())
        }
    }

    /// The database, without its password.
    public var engine: String {
        "PostgreSQL \(location)"
    }

    /// Whether the store answers, for Health: `SELECT 1` within the health timeout.
    public func problem() async -> String? {
        let client = client
        do {
            try await PostgresDeadline(
                limit: configuration.healthTimeout, endpoint: location.endpoint, failures: .registry,
                probe: deadline.probe
            ).run {
                _ = try await client.query("SELECT 1").collect()
            }
            return nil
        } catch let error as RegistryError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    /// Stops the event listener and the connection pool.
    public func close() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        await listener.stop()
        runTask.cancel()
        await runTask.value
    }

    /// A check that connects once, directly (1 s timeout), and returns why it could not (nil when
    /// it could): what `unavailable` errors report after a deadline passes.
    static func probe(location: PostgresLocation, logger: Logger) -> @Sendable () async -> String? {
        {
            var configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable)
            configuration.options.connectTimeout = .seconds(1)
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
                return nil
            } catch {
                return PostgresFailure.reason(error)
            }
        }
    }

    // MARK: - Running statements

    /// Runs `body` on a pooled connection, within the operation deadline.
    func withConnection<T: Sendable>(
        _ what: String = "", _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let client = client
        return try await deadline.run(what) {
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in a read-only REPEATABLE READ transaction (one consistent snapshot, as SQLite's
    /// reads), within the operation deadline.
    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = logger
        return try await withConnection { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).collect()
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger).collect()
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                throw error
            }
        }
    }

    /// Runs `body` as one READ COMMITTED write transaction, appends its queued events last, commits,
    /// and wakes local subscribers. A serialization failure or deadlock runs it again; the whole
    /// (retries included) has the operation deadline.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresWrite) async throws -> T) async throws -> T {
        let (logger, retries) = (logger, configuration.transactionRetries)
        let result = try await withConnection { connection in
            var attempt = 0
            while true {
                attempt += 1
                let transaction = PostgresWrite(connection: connection, logger: logger)
                do {
                    try await transaction.rows("BEGIN")
                    let result = try await body(transaction)
                    try await transaction.appendQueuedEvents()
                    try await transaction.rows("COMMIT")
                    return result
                } catch {
                    _ = try? await transaction.rows("ROLLBACK")
                    guard attempt <= retries, PostgresFailure.isRetryable(error) else { throw error }
                    logger.debug(
                        "retrying a PostgreSQL transaction", metadata: ["error": "\(String(reflecting: error))"])
                    try await Task.sleep(for: .milliseconds(Int64.random(in: 1...20) * Int64(attempt)))
                }
            }
        }
        notifier.signal()
        return result
    }

    /// `write(_:)` for a keyed write: when the task serves a keyed request
    /// (`IdempotentRequest.current`), the transaction first looks the key up — throwing
    /// `IdempotentReplay` with the first answer when it was applied before — and records it with its
    /// answer in its last statement (`PostgresIdempotencyLedger`). A concurrent attempt with the same
    /// key that commits first makes this one roll back and answer with the first answer.
    func keyedWrite<T: Sendable & Encodable>(
        at now: Int64, _ body: @escaping @Sendable (PostgresWrite) async throws -> T
    ) async throws -> T {
        guard let request = IdempotentRequest.current else { return try await write(body) }
        do {
            return try await write { transaction in
                try await PostgresIdempotencyLedger.check(transaction.connection, logger: transaction.logger, request)
                let result = try await body(transaction)
                transaction.remember(request, outcome: try IdempotentRequest.outcome(result), at: now)
                return result
            }
        } catch is IdempotencyConflict {
            let logger = logger
            try await withConnection { connection in
                try await PostgresIdempotencyLedger.check(connection, logger: logger, request)
            }
            throw RegistryError.database("idempotency key \(request.key) conflicted but is not recorded")
        }
    }

    /// Runs one statement (maintenance and tests), within the operation deadline.
    func execute(_ sql: String) async throws {
        let logger = logger
        try await withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            return ()
        }
    }

    /// The first column of every row of `sql`, as integers (maintenance and tests).
    func integers(_ sql: String) async throws -> [Int64] {
        let logger = logger
        return try await withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().map {
                Int64(try $0.decode(Int.self))
            }
        }
    }
}
