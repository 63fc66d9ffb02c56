import NIOCore
import NIOPosix

extension EventLoopFuture where Value: Sendable {
    /// The future's value; a cancelled task stops waiting at once with a `CancellationError` while
    /// the work behind the future goes on (other callers may be waiting for it too).
    func getUnlessCancelled() async throws -> Value {
        let mine = eventLoop.makePromise(of: Value.self)
        cascade(to: mine)
        return try await withTaskCancellationHandler {
            try await mine.futureResult.get()
        } onCancel: {
            mine.fail(CancellationError())
        }
    }
}

extension Task where Failure == Never, Success: Sendable {
    /// The task's value; a cancelled caller stops waiting at once with a `CancellationError` while
    /// the task runs on (`Task.value` itself waits for the task to end, cancelled or not).
    var valueUnlessCancelled: Success {
        get async throws {
            let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Success.self)
            Task<Void, Never> { promise.succeed(await self.value) }
            return try await promise.futureResult.getUnlessCancelled()
        }
    }
}
