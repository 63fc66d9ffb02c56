import Logging
import PostgresNIO
import PostgresSupport
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
        await PostgresChannelListener.run(
            configuration: configuration, channel: PostgresJobQueue.channel, name: "job queue listener", logger: logger
        ) { notification in
            guard let notice = JobNotice(payload: notification.payload), notice.from != instance else { return }
            if let event = await event(for: notice) { continuation.yield(event) }
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
