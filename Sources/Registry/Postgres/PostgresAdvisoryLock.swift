import Logging
import PostgresNIO
import ServiceKit

/// A session-level advisory lock held on a pooled connection for as long as a body runs: shared
/// (`pg_advisory_lock_shared`) by blob writers, exclusive (`pg_advisory_lock`) by garbage
/// collection, with the same key, so collection waits for in-flight writes and new writes wait
/// for collection, on every replica. A replica that dies drops its connection and with it its lock.
///
/// A holder task leases the connection, takes the lock, reports it, waits for the body to end,
/// then unlocks and returns the connection. Getting the connection has the operation deadline (so a
/// write fails within seconds while PostgreSQL is down); waiting for the lock has its own, longer one
/// (`lockTimeout`: a collection on another replica may hold it a while).
struct PostgresAdvisoryLock: Sendable {
    /// The key shared by blob writers and garbage collection ("churnblb" in ASCII).
    static let blobKey: Int64 = 0x6368_7572_6E62_6C62

    /// The pool.
    var client: PostgresClient
    /// The lock key.
    var key: Int64
    /// Shared or exclusive.
    var shared: Bool
    /// How long to wait for a connection.
    var connectDeadline: PostgresDeadline
    /// How long to wait for the lock once connected.
    var deadline: PostgresDeadline
    /// Where statements log.
    var logger: Logger

    /// Runs `body` while holding the lock.
    func withLock<T>(_ body: () async throws -> T) async throws -> T {
        let (connected, connectedContinuation) = AsyncThrowingStream<Void, any Error>.makeStream()
        let (acquired, acquiredContinuation) = AsyncThrowingStream<Void, any Error>.makeStream()
        let (released, releasedContinuation) = AsyncStream<Void>.makeStream()
        let lockSQL = shared ? "SELECT pg_advisory_lock_shared($1)" : "SELECT pg_advisory_lock($1)"
        let unlockSQL = shared ? "SELECT pg_advisory_unlock_shared($1)" : "SELECT pg_advisory_unlock($1)"
        let (client, key, logger) = (client, key, logger)
        let holder = Task {
            do {
                try await client.withConnection { connection in
                    connectedContinuation.finish()
                    var bindings = PostgresBindings()
                    bindings.append(key)
                    try await connection.query(PostgresQuery(unsafeSQL: lockSQL, binds: bindings), logger: logger)
                        .collect()
                    acquiredContinuation.yield()
                    for await _ in released {}
                    try await connection.query(PostgresQuery(unsafeSQL: unlockSQL, binds: bindings), logger: logger)
                        .collect()
                }
                acquiredContinuation.finish()
            } catch {
                connectedContinuation.finish(throwing: error)
                acquiredContinuation.finish(throwing: error)
            }
        }
        do {
            try await connectDeadline.run("connecting for the blob lock") {
                for try await _ in connected {}
            }
            try await deadline.run("waiting for the blob lock") {
                var iterator = acquired.makeAsyncIterator()
                guard try await iterator.next() != nil else { throw CancellationError() }
            }
        } catch {
            // The holder may still get the lock later: it then releases it at once.
            releasedContinuation.finish()
            holder.cancel()
            throw error
        }
        let result: T
        do {
            result = try await body()
        } catch {
            releasedContinuation.finish()
            await holder.value
            throw error
        }
        releasedContinuation.finish()
        await holder.value
        return result
    }
}
