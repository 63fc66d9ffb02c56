import Logging
import PostgresNIO
import Wire

/// Turns `churn_trainer_jobs` notifications from other trainers into ``JobEvent``s: an epoch is
/// passed on as it came, a state change is read from the queue (the notification names the job).
/// Listens on a connection of its own and reconnects with capped backoff (0.1 s doubling to 2 s)
/// for as long as the stream is consumed.
struct PostgresJobListener: Sendable {
    /// How to connect.
    let configuration: PostgresConnection.Configuration
    /// This trainer (its own notifications are skipped: it published those events itself).
    let instance: String
    /// Where state changes are read.
    let queue: PostgresJobQueue
    /// Where reconnections are logged.
    let logger: Logger

    /// The events, until the consumer stops.
    func events() -> AsyncStream<JobEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self, bufferingPolicy: .bufferingNewest(1024))
        let task = Task { await listen(continuation) }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func listen(_ continuation: AsyncStream<JobEvent>.Continuation) async {
        var backoff = Duration.milliseconds(100)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: connectionID, logger: logger)
                do {
                    try await connection.listen(on: PostgresJobQueue.channel) { notifications in
                        backoff = .milliseconds(100)
                        for try await notification in notifications {
                            guard let notice = JobNotice(payload: notification.payload), notice.from != instance else {
                                continue
                            }
                            if let event = await event(for: notice) { continuation.yield(event) }
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                logger.notice(
                    "job queue listener lost its connection; reconnecting",
                    metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(backoff)"])
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(2))
        }
        continuation.finish()
    }

    private func event(for notice: JobNotice) async -> JobEvent? {
        if let report = notice.report { return .progress(jobID: notice.job, report: report) }
        do {
            return try await queue.job(notice.job).map { .stateChanged($0) }
        } catch {
            logger.debug("cannot read a changed job", metadata: ["job": "\(notice.job)", "error": "\(error)"])
            return nil
        }
    }
}
