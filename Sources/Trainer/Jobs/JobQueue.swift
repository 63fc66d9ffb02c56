import ChurnML
import ServiceKit
import Wire

/// Where a trainer keeps its jobs: the embedded SQLite ``JobStore`` (one trainer, the default) or
/// the shared ``PostgresJobQueue`` (any number of trainers; `serve trainer --jobs postgres://…`).
///
/// A job is run by the trainer that *claims* it. A claim is a lease: the owner renews it while the
/// job runs (``renew(owner:jobIDs:)``), and a job whose lease expired (its trainer died) is claimed
/// again by whichever trainer asks next. Recording the outcome is fenced by the lease
/// (``finish(_:owner:)``), so a trainer that lost its lease cannot overwrite the new owner's
/// outcome. Keyed submits and cancels (wire.md §2.4) are remembered in the same store, so a
/// repeat answers with the job the key was first applied to, whichever trainer it reaches.
public protocol JobQueue: Sendable {
    /// The engine and where it is, for logs (`SQLite /path`, `PostgreSQL postgres://…`).
    var engine: String { get }
    /// Whether other trainers share this queue: then the runner polls it for their submissions
    /// and for expired leases, and heartbeats its own claims.
    var isShared: Bool { get }

    /// The job a keyed request was applied to before, or nil when its key is new (expired keys
    /// are dropped first). Throws `invalidRequest` when the key was used for another request.
    func idempotentJob(_ request: IdempotentRequest, nowMillis: Int64) async throws -> Int64?
    /// Remembers that a keyed request was applied to job `jobID`.
    func recordIdempotent(_ request: IdempotentRequest, jobID: Int64, nowMillis: Int64) async throws
    /// Stores a new queued job and returns it with its id; `settings` and the keyed request that
    /// submitted it are stored in the same transaction. Throws ``JobKeyTaken`` when another
    /// trainer stored a job under the same key first (nothing is stored then).
    func insert(_ job: TrainingJob, settings: [String: String], idempotency: IdempotentRequest?) async throws
        -> TrainingJob
    /// The job with `id`, with its latest progress.
    func job(_ id: Int64) async throws -> TrainingJob?
    /// Jobs, newest first, optionally only those in `states`.
    func jobs(states: Set<JobState>, limit: Int) async throws -> [TrainingJob]

    /// Makes the queue ready after this trainer (re)started: the embedded store puts jobs that
    /// were running back in the queue (or fails them after `maxAttempts` starts); a shared queue
    /// leaves them to lease expiry.
    func recover(maxAttempts: Int, nowMillis: Int64) async throws
    /// Claims up to `limit` jobs for `owner`, oldest first: queued jobs, and running jobs whose
    /// lease expired. Each claimed job is returned running, its attempt counted; a job that has
    /// already been started `maxAttempts` times is failed instead and returned in `gaveUp`.
    func claim(owner: String, limit: Int, lease: Duration, maxAttempts: Int, nowMillis: Int64) async throws -> JobClaim
    /// Extends `owner`'s leases on `jobIDs`; says which it no longer holds and which were asked
    /// to cancel (by a CancelJob that reached another trainer).
    func renew(owner: String, jobIDs: [Int64], lease: Duration) async throws -> LeaseRenewal
    /// Records a job's outcome (succeeded, failed, cancelled) if `owner` still holds its lease;
    /// false when the lease was lost (another trainer has the job now).
    func finish(_ job: TrainingJob, owner: String) async throws -> Bool
    /// Cancels a queued job at once; a job running on any trainer is asked to cancel (its owner
    /// stops it at the next heartbeat). Returns the job as it is now, nil when there is none.
    func requestCancel(_ id: Int64, nowMillis: Int64) async throws -> TrainingJob?
    /// Makes a running job's latest epoch visible to every trainer (and their subscribers).
    func recordProgress(jobID: Int64, report: EpochReport, owner: String)

    /// A stored setting (shared by the trainers of a shared queue).
    func setting(_ key: String) async throws -> String?
    /// Stores a setting.
    func setSetting(_ key: String, _ value: String) async throws

    /// Events of jobs run or changed by *other* trainers sharing the queue, as they happen (the
    /// embedded store has none: its stream finishes at once).
    func foreignEvents() -> AsyncStream<JobEvent>
    /// Closes connections.
    func close() async
}

/// What a claim took.
public struct JobClaim: Sendable {
    /// Jobs now running under the claimer's lease.
    public var claimed: [TrainingJob]
    /// Jobs failed because they had been started too often (their trainers kept dying).
    public var gaveUp: [TrainingJob]

    /// Creates a claim.
    public init(claimed: [TrainingJob] = [], gaveUp: [TrainingJob] = []) {
        self.claimed = claimed
        self.gaveUp = gaveUp
    }
}

/// What renewing leases found.
public struct LeaseRenewal: Sendable, Equatable {
    /// Jobs whose lease the trainer no longer holds.
    public var lost: Set<Int64>
    /// Jobs some trainer was asked to cancel.
    public var cancelRequested: Set<Int64>

    /// Creates a renewal.
    public init(lost: Set<Int64> = [], cancelRequested: Set<Int64> = []) {
        self.lost = lost
        self.cancelRequested = cancelRequested
    }
}

/// Thrown by ``JobQueue/insert(_:settings:idempotency:)`` when the request's idempotency key was
/// stored by another trainer first: read ``JobQueue/idempotentJob(_:nowMillis:)`` for its job.
public struct JobKeyTaken: Error, Sendable {
    public init() {}
}

extension JobQueue {
    /// Stores a new job without settings or key.
    public func insert(_ job: TrainingJob) async throws -> TrainingJob {
        try await insert(job, settings: [:], idempotency: nil)
    }
}

/// A job's lease was lost before it published: another trainer runs it now.
public struct JobLeaseLost: Error, Sendable, CustomStringConvertible {
    /// The job.
    public var jobID: Int64

    /// For logs.
    public var description: String { "job \(jobID): lease lost; another trainer runs it now" }
}
