import ChurnML
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Synchronization
import Wire

/// The trainers' shared job queue in PostgreSQL (`churn serve trainer --jobs postgres://…`): any
/// number of trainers submit to it and run from it.
///
/// - A trainer claims queued jobs with `FOR UPDATE SKIP LOCKED` (two trainers never claim the same
///   job) and holds each under a lease in `trainer_jobs.lease_until`, on the database's clock, which
///   it renews while the job runs. A job whose lease expired (its trainer was killed) is claimed
///   again by the next trainer that asks, its attempt counted; after `maxAttempts` it fails.
/// - Outcomes, progress and state changes are written only while the writer still holds the
///   lease (`owner = instance`), so a trainer that lost its lease cannot overwrite anything.
/// - Every change is announced with `NOTIFY churn_trainer_jobs`, so each trainer's subscribers
///   hear about jobs any trainer runs (``foreignEvents()``).
/// - Keyed submits and cancels are remembered in `trainer_idempotency` in the job's own
///   transaction; two trainers storing a job under one key race on its primary key and the loser
///   stores nothing (``JobKeyTaken``).
/// - Every operation has a deadline: while PostgreSQL is down calls fail with
///   ``JobQueueError/unavailable(_:)`` (answered `unavailable`, which clients retry elsewhere).
public final class PostgresJobQueue: JobQueue {
    /// The NOTIFY channel.
    public static let channel = "churn_trainer_jobs"

    /// Where the database is.
    public let location: PostgresLocation
    /// This trainer's name in the queue: the owner of its leases.
    public let instance: String
    /// `PostgreSQL postgres://…` (no password).
    public var engine: String { "PostgreSQL \(location)" }
    /// Shared by every trainer given the same URL.
    public var isShared: Bool { true }

    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let deadline: PostgresDeadline
    private let logger: Logger
    private let progressWrites: AsyncStream<ProgressWrite>.Continuation
    private let progressTask: Task<Void, Never>
    private let closed = Atomic<Bool>(false)

    /// A queue on `location` for the trainer `instance` (unique among the trainers sharing it);
    /// connects lazily. Call ``migrate()`` before use, or use ``connect(url:instance:logger:)``.
    public init(
        location: PostgresLocation, instance: String, operationTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "churn.trainer.jobs")
    ) {
        self.location = location
        self.instance = instance
        self.logger = logger
        client = PostgresClient(
            configuration: location.clientConfiguration(maximumConnections: 4, connectTimeout: operationTimeout),
            backgroundLogger: logger)
        let client = client
        runTask = Task { await client.run() }
        deadline = PostgresDeadline(
            limit: operationTimeout, endpoint: location.endpoint, failures: JobQueueError.failures)
        let (stream, continuation) = AsyncStream.makeStream(of: ProgressWrite.self)
        progressWrites = continuation
        let deadline = deadline
        progressTask = Task {
            // One writer, in order: each epoch's progress, then its notification; a barrier
            // resumes its waiter once everything before it was written.
            for await write in stream {
                guard case .epoch(let jobID, let owner, let report, let notice) = write else {
                    if case .barrier(let waiter) = write { waiter.resume() }
                    continue
                }
                do {
                    try await deadline.run("recording progress") {
                        try await client.query(
                            """
                            WITH updated AS (
                                UPDATE trainer_jobs SET progress = \(report) WHERE id = \(jobID) AND owner = \(owner)
                                RETURNING id)
                            SELECT pg_notify(\(Self.channel), \(notice)) FROM updated
                            """, logger: logger
                        ).collect()
                    }
                } catch {
                    logger.debug("cannot record progress", metadata: ["job": "\(jobID)", "error": "\(error)"])
                }
            }
        }
    }

    /// Parses `url` (see ``PostgresLocation``), connects and creates the queue's tables if needed.
    public static func connect(
        url: String, instance: String, logger: Logger = Logger(label: "churn.trainer.jobs")
    ) async throws -> PostgresJobQueue {
        let location: PostgresLocation
        do {
            location = try PostgresLocation(url: url)
        } catch let error as PostgresLocation.InvalidURL {
            throw JobQueueError.invalidLocation(error.description)
        }
        let queue = PostgresJobQueue(location: location, instance: instance, logger: logger)
        do {
            try await queue.migrate()
        } catch {
            await queue.close()
            throw error
        }
        return queue
    }

    /// Creates the queue's tables when missing (safe while other trainers do the same). When
    /// they exist nothing is locked: DDL such as `CREATE INDEX IF NOT EXISTS` takes table locks
    /// even when there is nothing to create, and would deadlock with running trainers.
    public func migrate() async throws {
        let present = try await statement("checking the job tables") { connection, logger in
            try await connection.query(
                "SELECT to_regclass(\(PostgresJobSchema.lastObject)) IS NOT NULL", logger: logger
            ).collect()
        }
        if try present.first?.decode(Bool.self) == true { return }
        try await transaction("creating the job tables") { connection, logger in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresJobSchema.lockKey))", logger: logger)
                .collect()
            for statement in PostgresJobSchema.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
            }
        }
    }

    // MARK: - Submitting and reading

    /// The job a keyed request was applied to before (expired keys dropped first).
    public func idempotentJob(_ request: IdempotentRequest, nowMillis: Int64) async throws -> Int64? {
        let expired = nowMillis - IdempotentRequest.retentionMillis
        let rows = try await statement("reading an idempotency key") { connection, logger in
            try await connection.query("DELETE FROM trainer_idempotency WHERE created < \(expired)", logger: logger)
                .collect()
            return try await connection.query(
                "SELECT opcode, request_sha256, job_id FROM trainer_idempotency WHERE key = \(request.key)",
                logger: logger
            ).collect()
        }
        guard let row = rows.first else { return nil }
        let (opcode, digest, jobID) = try row.decode((Int32, String, Int64).self)
        try request.verify(
            matches: IdempotentRequest(key: request.key, opcode: UInt16(clamping: opcode), requestSHA256: digest))
        return jobID
    }

    /// Remembers that a keyed request was applied to job `jobID` (a key already recorded stays).
    public func recordIdempotent(_ request: IdempotentRequest, jobID: Int64, nowMillis: Int64) async throws {
        try await statement("recording an idempotency key") { connection, logger in
            try await connection.query(Self.remember(request, jobID: jobID, nowMillis: nowMillis), logger: logger)
                .collect()
        }
    }

    /// Stores a queued job (with `settings` and its key, in one transaction) and announces it.
    public func insert(_ job: TrainingJob, settings: [String: String], idempotency: IdempotentRequest?) async throws
        -> TrainingJob
    {
        let instance = instance
        return try await transaction("storing a job") { connection, logger in
            let ids = try await connection.query("SELECT nextval('trainer_jobs_id_seq')", logger: logger).collect()
            guard let id = try ids.first?.decode(Int64.self) else {
                throw JobQueueError.database("no job id from the sequence")
            }
            var stored = job
            stored.id = id
            if let idempotency {
                let taken = try await connection.query(
                    Self.remember(idempotency, jobID: id, nowMillis: job.submittedMillis), logger: logger
                )
                .collect()
                guard !taken.isEmpty else { throw JobKeyTaken() }
            }
            let record = try stored.storedJSON()
            let notice = try JobNotice.state(from: instance, jobID: id)
            try await connection.query(
                """
                WITH inserted AS (
                    INSERT INTO trainer_jobs (id, state, record) VALUES (\(id), \(stored.state.rawValue), \(record)) RETURNING id)
                SELECT pg_notify(\(Self.channel), \(notice)) FROM inserted
                """, logger: logger
            ).collect()
            for (key, value) in settings {
                try await connection.query(Self.store(key, value), logger: logger).collect()
            }
            return stored
        }
    }

    /// The job with `id`, with its latest progress when it is running.
    public func job(_ id: Int64) async throws -> TrainingJob? {
        let rows = try await statement("reading a job") { connection, logger in
            try await connection.query("SELECT record, progress FROM trainer_jobs WHERE id = \(id)", logger: logger)
                .collect()
        }
        return try rows.first.map(Self.job(from:))
    }

    /// Jobs, newest first, optionally only those in `states`.
    public func jobs(states: Set<JobState>, limit: Int) async throws -> [TrainingJob] {
        let wanted = (states.isEmpty ? Set(JobState.allCases) : states).map(\.rawValue).sorted()
        let limit = max(1, limit)
        let rows = try await statement("listing jobs") { connection, logger in
            try await connection.query(
                "SELECT record, progress FROM trainer_jobs WHERE state = ANY(\(wanted)) ORDER BY id DESC LIMIT \(limit)",
                logger: logger
            ).collect()
        }
        return try rows.map(Self.job(from:))
    }

    // MARK: - Running

    /// Nothing to do: jobs of a trainer that stopped are claimed again once their leases expire.
    public func recover(maxAttempts: Int, nowMillis: Int64) async throws {}

    /// Claims up to `limit` queued jobs and running jobs whose lease expired, oldest first.
    public func claim(owner: String, limit: Int, lease: Duration, maxAttempts: Int, nowMillis: Int64) async throws
        -> JobClaim
    {
        guard limit > 0 else { return JobClaim() }
        let leaseMillis = Self.millis(lease)
        return try await transaction("claiming jobs") { connection, logger in
            let rows = try await connection.query(
                """
                WITH picked AS (
                    SELECT id FROM trainer_jobs
                    WHERE state = 'queued' OR (state = 'running' AND lease_until < clock_timestamp())
                    ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                UPDATE trainer_jobs AS j
                SET state = 'running', owner = \(owner), lease_until = clock_timestamp() + \(leaseMillis) * interval '1 millisecond'
                FROM picked WHERE j.id = picked.id
                RETURNING j.record, j.cancel_requested
                """, logger: logger
            ).collect()
            var claim = JobClaim()
            for row in rows {
                let (record, cancelRequested) = try row.decode((String, Bool).self)
                var job = try TrainingJob(storedJSON: record)
                let rerun = job.state == .running
                if cancelRequested || (rerun && job.attempts >= maxAttempts) {
                    // Its trainer died after a CancelJob asked it to stop, or it keeps killing trainers.
                    job.state = cancelRequested ? .cancelled : .failed
                    if !cancelRequested {
                        job.error =
                            "its trainer stopped while this job was running, \(job.attempts) times; not retried again"
                    }
                    job.finishedMillis = nowMillis
                    claim.gaveUp.append(job)
                } else {
                    if rerun {
                        job.notes.append("re-run: its trainer stopped during attempt \(job.attempts) (lease expired)")
                    }
                    job.state = .running
                    job.attempts += 1
                    job.startedMillis = nowMillis
                    job.progress = nil
                    claim.claimed.append(job)
                }
                let notice = try JobNotice.state(from: owner, jobID: job.id)
                let finished = job.state != .running
                try await connection.query(
                    """
                    UPDATE trainer_jobs
                    SET state = \(job.state.rawValue), record = \(try job.storedJSON()), progress = NULL,
                        owner = CASE WHEN \(finished) THEN NULL ELSE owner END,
                        lease_until = CASE WHEN \(finished) THEN NULL ELSE lease_until END
                    WHERE id = \(job.id)
                    """, logger: logger
                ).collect()
                try await connection.query("SELECT pg_notify(\(Self.channel), \(notice))", logger: logger).collect()
            }
            return claim
        }
    }

    /// Extends `owner`'s leases on `jobIDs`.
    public func renew(owner: String, jobIDs: [Int64], lease: Duration) async throws -> LeaseRenewal {
        guard !jobIDs.isEmpty else { return LeaseRenewal() }
        let leaseMillis = Self.millis(lease)
        let rows = try await statement("renewing leases") { connection, logger in
            try await connection.query(
                """
                UPDATE trainer_jobs SET lease_until = clock_timestamp() + \(leaseMillis) * interval '1 millisecond'
                WHERE owner = \(owner) AND state = 'running' AND id = ANY(\(jobIDs))
                RETURNING id, cancel_requested
                """, logger: logger
            ).collect()
        }
        var renewal = LeaseRenewal(lost: Set(jobIDs))
        for row in rows {
            let (id, cancelRequested) = try row.decode((Int64, Bool).self)
            renewal.lost.remove(id)
            if cancelRequested { renewal.cancelRequested.insert(id) }
        }
        return renewal
    }

    /// Records the outcome while `owner` holds the lease, and announces it, after the job's
    /// progress queued so far (so that watchers hear every epoch before the outcome).
    public func finish(_ job: TrainingJob, owner: String) async throws -> Bool {
        await withCheckedContinuation { waiter in
            if case .terminated = progressWrites.yield(.barrier(waiter)) { waiter.resume() }
        }
        let record = try job.storedJSON()
        let notice = try JobNotice.state(from: owner, jobID: job.id)
        let rows = try await statement("recording a job's outcome") { connection, logger in
            try await connection.query(
                """
                WITH finished AS (
                    UPDATE trainer_jobs
                    SET state = \(job.state.rawValue), record = \(record), owner = NULL, lease_until = NULL, progress = NULL
                    WHERE id = \(job.id) AND owner = \(owner) AND state = 'running'
                    RETURNING id)
                SELECT pg_notify(\(Self.channel), \(notice)) FROM finished
                """, logger: logger
            ).collect()
        }
        return !rows.isEmpty
    }

    /// Cancels a queued job; flags a running one for its owner to stop.
    public func requestCancel(_ id: Int64, nowMillis: Int64) async throws -> TrainingJob? {
        let instance = instance
        return try await transaction("cancelling a job") { connection, logger in
            let rows = try await connection.query(
                "SELECT record, progress FROM trainer_jobs WHERE id = \(id) FOR UPDATE", logger: logger
            ).collect()
            guard let row = rows.first else { return nil }
            var job = try Self.job(from: row)
            switch job.state {
            case .queued:
                job.state = .cancelled
                job.finishedMillis = nowMillis
                try await connection.query(
                    "UPDATE trainer_jobs SET state = \(job.state.rawValue), record = \(try job.storedJSON()) WHERE id = \(id)",
                    logger: logger
                ).collect()
                let notice = try JobNotice.state(from: instance, jobID: id)
                try await connection.query("SELECT pg_notify(\(Self.channel), \(notice))", logger: logger).collect()
            case .running:
                try await connection.query(
                    "UPDATE trainer_jobs SET cancel_requested = TRUE WHERE id = \(id)", logger: logger
                ).collect()
            default:
                break
            }
            return job
        }
    }

    /// Queues the epoch for the database (in order, without waiting).
    public func recordProgress(jobID: Int64, report: EpochReport, owner: String) {
        guard let reportJSON = try? Self.json(report),
            let notice = try? JobNotice.progress(from: owner, jobID: jobID, report: report)
        else { return }
        progressWrites.yield(.epoch(jobID: jobID, owner: owner, report: reportJSON, notice: notice))
    }

    // MARK: - Settings and events

    /// A shared setting.
    public func setting(_ key: String) async throws -> String? {
        let rows = try await statement("reading a setting") { connection, logger in
            try await connection.query("SELECT value FROM trainer_settings WHERE key = \(key)", logger: logger)
                .collect()
        }
        return try rows.first?.decode(String.self)
    }

    /// Stores a shared setting.
    public func setSetting(_ key: String, _ value: String) async throws {
        try await statement("storing a setting") { connection, logger in
            try await connection.query(Self.store(key, value), logger: logger).collect()
        }
    }

    /// Jobs changed by other trainers, from `LISTEN churn_trainer_jobs` on a connection of its own
    /// (reconnecting with backoff while the stream is consumed).
    public func foreignEvents() -> AsyncStream<JobEvent> {
        PostgresJobListener(
            configuration: location.connectionConfiguration(connectTimeout: .seconds(5)), instance: instance,
            queue: self,
            logger: logger
        ).events()
    }

    /// Stops the progress writer and the connection pool.
    public func close() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        progressWrites.finish()
        await progressTask.value
        runTask.cancel()
        await runTask.value
    }

    // MARK: - Statements

    /// Runs `body` on a pooled connection within the operation deadline.
    private func statement<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let (client, logger) = (client, logger)
        return try await deadline.run(what) {
            try await client.withConnection { connection in try await body(connection, logger) }
        }
    }

    /// Runs `body` in one READ COMMITTED transaction within the operation deadline.
    private func transaction<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        try await statement(what) { connection, logger in
            try await connection.query("BEGIN", logger: logger).collect()
            do {
                let result = try await body(connection, logger)
                try await connection.query("COMMIT", logger: logger).collect()
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                throw error
            }
        }
    }

    private static func remember(_ request: IdempotentRequest, jobID: Int64, nowMillis: Int64) -> PostgresQuery {
        """
        INSERT INTO trainer_idempotency (key, opcode, request_sha256, job_id, created)
        VALUES (\(request.key), \(Int(request.opcode)), \(request.requestSHA256), \(jobID), \(nowMillis))
        ON CONFLICT (key) DO NOTHING RETURNING key
        """
    }

    private static func store(_ key: String, _ value: String) -> PostgresQuery {
        "INSERT INTO trainer_settings (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    }

    /// A job from a `record, progress` row (progress only counts while running).
    static func job(from row: PostgresRow) throws -> TrainingJob {
        let (record, progress) = try row.decode((String, String?).self)
        var job = try TrainingJob(storedJSON: record)
        if job.state == .running, let progress {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            job.progress = try decoder.decode(EpochReport.self, from: Data(progress.utf8))
        }
        return job
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func millis(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// What the progress writer does next.
    private enum ProgressWrite: Sendable {
        /// Record one epoch of a job and announce it.
        case epoch(jobID: Int64, owner: String, report: String, notice: String)
        /// Resume the waiter: everything queued before has been written.
        case barrier(CheckedContinuation<Void, Never>)
    }
}
