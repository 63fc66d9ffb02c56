import Synchronization

/// Runs an operation against PostgreSQL with a deadline: when it has not finished in time the
/// caller gets the role's "unavailable" error at once and the operation's task is cancelled (a
/// connection lease that is still waiting stops; a statement already sent runs to its end, so a
/// write that times out may still commit — the error says it may be retried, and every write is
/// one transaction).
public struct PostgresDeadline: Sendable {
    /// How the role using PostgreSQL reports failures.
    public struct Failures: Sendable {
        /// The error for "PostgreSQL at HOST:PORT: <reason>" (the server did not answer in time).
        public var unavailable: @Sendable (_ message: String) -> any Error
        /// The error the caller sees for an error the operation threw (`endpoint` for messages).
        public var map: @Sendable (_ error: any Error, _ endpoint: String) -> any Error

        /// Creates the mapping.
        public init(
            unavailable: @escaping @Sendable (_ message: String) -> any Error,
            map: @escaping @Sendable (_ error: any Error, _ endpoint: String) -> any Error
        ) {
            self.unavailable = unavailable
            self.map = map
        }
    }

    /// How long an operation may take.
    public var limit: Duration
    /// `HOST:PORT`, for messages.
    public var endpoint: String
    /// How failures are reported.
    public var failures: Failures
    /// Finds out why the server did not answer in time (a quick connection attempt of its own);
    /// nil when it connects or cannot tell.
    public var probe: (@Sendable () async -> String?)? = nil

    /// A deadline of `limit` for the server at `endpoint`.
    public init(limit: Duration, endpoint: String, failures: Failures, probe: (@Sendable () async -> String?)? = nil) {
        self.limit = limit
        self.endpoint = endpoint
        self.failures = failures
        self.probe = probe
    }

    /// Thrown internally when the limit passes.
    struct Expired: Error {}

    /// The result of `operation`, or the unavailable error after `limit` (other errors mapped by
    /// `failures`).
    public func run<T: Sendable>(_ what: String = "", _ operation: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        do {
            return try await Self.race(limit: limit, operation)
        } catch is Expired {
            let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
            var reason = "no answer within \(Self.format(seconds)) s\(what.isEmpty ? "" : " (\(what))")"
            if let probe, let cause = try? await Self.race(limit: .seconds(1), { await probe() }) {
                reason += "; connecting: \(cause)"
            }
            throw failures.unavailable("PostgreSQL at \(endpoint): \(reason)")
        } catch {
            throw failures.map(error, endpoint)
        }
    }

    /// `operation`'s result, or `Expired` after `limit`, whichever comes first.
    public static func race<T: Sendable>(limit: Duration, _ operation: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation)
                let work = Task {
                    do {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    if !Task.isCancelled, race.finish(.failure(Expired())) { work.cancel() }
                }
                race.attach(work: work, timer: timer)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
            race.cancelWork()
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The first of the operation, the timer and cancellation to finish resumes the caller.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var finished = false
            var work: Task<Void, Never>?
            var timer: Task<Void, Never>?
        }
        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        func attach(work: Task<Void, Never>, timer: Task<Void, Never>) {
            let finished = state.withLock { state in
                state.work = work
                state.timer = timer
                return state.finished
            }
            if finished { timer.cancel() }
        }

        /// Resumes the caller unless something finished first; true when this call did.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let (continuation, timer) = state.withLock {
                state -> (CheckedContinuation<T, any Error>?, Task<Void, Never>?) in
                guard !state.finished else { return (nil, nil) }
                state.finished = true
                defer { state.continuation = nil }
                return (state.continuation, state.timer)
            }
            guard let continuation else { return false }
            timer?.cancel()
            continuation.resume(with: result)
            return true
        }

        func cancelWork() {
            state.withLock { $0.work }?.cancel()
        }
    }
}
