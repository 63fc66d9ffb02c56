import NIOPosix

/// Runs the registry's blocking work (SQLite, fsync, file reads, CPU-heavy parsing) on NIO's
/// shared blocking pool, `NIOThreadPool.singleton` — the one pool of the process for such work —
/// so that it never occupies an event loop or one of Swift concurrency's few cooperative threads
/// (two on this machine's two cores).
enum BlockingIO {
    /// Runs `body` on the blocking pool and returns (or throws) what it did; throws if the pool has
    /// been shut down.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
