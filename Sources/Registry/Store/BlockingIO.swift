import Dispatch

/// Runs blocking work (fsync, file reads, CPU-heavy parsing) on a dispatch queue meant for it, so
/// that it never occupies one of Swift concurrency's few cooperative threads (two on this
/// machine's two cores).
enum BlockingIO {
    /// The queue blocking work runs on.
    private static let queue = DispatchQueue(label: "churn.registry.blocking-io", attributes: .concurrent)

    /// Runs `body` on the blocking-I/O queue and returns (or throws) what it did.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
