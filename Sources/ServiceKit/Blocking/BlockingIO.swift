import NIOPosix

/// The process's one pool of threads for blocking work (SQLite, fsync, file reads, CPU-heavy
/// parsing), so that such work never occupies an event loop or one of Swift concurrency's few
/// cooperative threads (two on this machine's two cores).
///
/// It is a `NIOThreadPool` of its own rather than `NIOThreadPool.singleton`, which has one thread
/// per core: blocking calls here mostly wait on the disk, and with two threads eight concurrent
/// publishes queued behind each other's fsyncs (the whole test suite, sharing one process, timed out
/// calls that way). Training does not run here (see `JobRunner.train`).
public enum BlockingIO {
    /// Threads of the pool.
    public static let threadCount = 16

    /// The pool, started on first use and never stopped (it lives as long as the process).
    public static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
        return pool
    }()

    /// Runs `body` on the pool and returns (or throws) what it did.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }
}
