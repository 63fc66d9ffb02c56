import ChurnClient
import Logging
import ServiceKit
import Synchronization
import Wire

/// Carries the job runner's events to the server's ``WireEventHub`` as `job.progress` and
/// `job.state` events (wire.md §14). Created before the server (the runner needs it); attached to
/// the hub once the server exists. Events before that are dropped: nobody can be subscribed yet.
public final class TrainerEventRelay: Sendable {
    private let hub = Mutex<WireEventHub?>(nil)
    private let logger: Logger

    /// A relay that is not attached yet.
    public init(logger: Logger = Logger(label: "churn.trainer")) {
        self.logger = logger
    }

    /// Publishes on `hub` from now on.
    public func attach(to hub: WireEventHub) {
        self.hub.withLock { $0 = hub }
    }

    /// Publishes one runner event (called from the runner and from training threads).
    public func publish(_ event: JobEvent) {
        guard let hub = hub.withLock({ $0 }) else { return }
        let wire: TrainerEvent
        switch event {
        case .progress(let jobID, let report): wire = .progress(JobProgress(jobID: jobID, report: report))
        case .stateChanged(let job): wire = .state(job.record)
        }
        do {
            hub.publish(topic: wire.topic, payload: try wire.payload())
        } catch {
            logger.error("cannot encode a trainer event", metadata: ["job": "\(wire.jobID)", "error": "\(error)"])
        }
    }

    /// Publishes the events of jobs other trainers run or change (a shared queue's
    /// ``JobQueue/foreignEvents()``), so that a client watching a job on this trainer hears it
    /// whichever trainer runs it; returns when the task is cancelled.
    public func follow(_ queue: any JobQueue) async {
        for await event in queue.foreignEvents() { publish(event) }
    }
}
