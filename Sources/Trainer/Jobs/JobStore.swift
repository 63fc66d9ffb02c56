import ChurnML
import Foundation
import GRDB
import ServiceKit
import Wire

/// The trainer's durable job list: an SQLite file (WAL, `synchronous = FULL`) holding every job as a
/// JSON record, plus small settings such as the last registry event the trainer has seen.
///
/// A job is written before it is acknowledged, so an accepted job survives a crash; on start,
/// `recoverInterrupted` puts jobs that were running back in the queue (or fails them once they have
/// been started too often), so nothing is silently lost.
public final class JobStore: JobQueue {
    private let queue: DatabaseQueue
    /// `SQLite <path>`.
    public let engine: String
    /// One trainer per store.
    public var isShared: Bool { false }

    /// Opens (creating if needed) the store at `path`.
    public init(path: String) throws {
        engine = "SQLite \(path)"
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        state TEXT NOT NULL,
                        record TEXT NOT NULL
                    );
                    CREATE INDEX jobs_state ON jobs (state);
                    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-idempotency") { db in
            // Keyed SubmitJob/CancelJob requests (wire.md §2.4): key → the job they applied to.
            try db.execute(
                sql: """
                    CREATE TABLE idempotency (
                        key TEXT PRIMARY KEY,
                        opcode INTEGER NOT NULL,
                        request_sha256 TEXT NOT NULL,
                        job_id INTEGER NOT NULL,
                        created INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX idempotency_created ON idempotency (created);
                    """)
        }
        try migrator.migrate(queue)
    }

    /// The job a keyed request was applied to before, or nil when its key is new (expired keys are
    /// dropped first). Throws `invalidRequest` when the key was used for another request.
    public func idempotentJob(_ request: IdempotentRequest, nowMillis: Int64) throws -> Int64? {
        try queue.write { db in
            try db.execute(
                sql: "DELETE FROM idempotency WHERE created < ?",
                arguments: [nowMillis - IdempotentRequest.retentionMillis])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT opcode, request_sha256, job_id FROM idempotency WHERE key = ?",
                    arguments: [request.key])
            else { return nil }
            try request.verify(matches: IdempotentRequest(key: request.key, opcode: row[0], requestSHA256: row[1]))
            return row[2]
        }
    }

    /// Remembers that a keyed request was applied to job `jobID`.
    public func recordIdempotent(_ request: IdempotentRequest, jobID: Int64, nowMillis: Int64) throws {
        try queue.write { db in try Self.record(db, request, jobID: jobID, nowMillis: nowMillis) }
    }

    private static func record(_ db: Database, _ request: IdempotentRequest, jobID: Int64, nowMillis: Int64) throws {
        try db.execute(
            sql: "INSERT INTO idempotency (key, opcode, request_sha256, job_id, created) VALUES (?, ?, ?, ?, ?)",
            arguments: [request.key, request.opcode, request.requestSHA256, jobID, nowMillis])
    }

    /// Stores a new job and returns it with its id; `settings` (and the keyed request that submitted
    /// it, when given) are stored in the same transaction (so "job accepted" and "event handled" or
    /// "key applied" are recorded together or not at all).
    public func insert(
        _ job: TrainingJob, settings: [String: String] = [:], idempotency: IdempotentRequest? = nil
    ) throws -> TrainingJob {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO jobs (state, record) VALUES (?, '{}')", arguments: [job.state.rawValue])
            var stored = job
            stored.id = db.lastInsertedRowID
            try db.execute(
                sql: "UPDATE jobs SET record = ? WHERE id = ?", arguments: [try stored.storedJSON(), stored.id])
            for (key, value) in settings {
                try Self.store(db, key, value)
            }
            if let idempotency {
                try Self.record(db, idempotency, jobID: stored.id, nowMillis: job.submittedMillis)
            }
            return stored
        }
    }

    /// Replaces a stored job with `job` (same id).
    public func update(_ job: TrainingJob) throws {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE jobs SET state = ?, record = ? WHERE id = ?",
                arguments: [job.state.rawValue, try job.storedJSON(), job.id])
        }
    }

    /// The job with `id`, if any.
    public func job(_ id: Int64) throws -> TrainingJob? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT record FROM jobs WHERE id = ?", arguments: [id]).map(
                TrainingJob.init(storedJSON:))
        }
    }

    /// Jobs, newest first, optionally only those in `states`.
    public func jobs(states: Set<JobState> = [], limit: Int = 100) throws -> [TrainingJob] {
        try queue.read { db in
            let filter = states.isEmpty ? "" : "WHERE state IN (\(states.map { _ in "?" }.joined(separator: ",")))"
            let arguments = StatementArguments(states.map(\.rawValue).sorted())
            return try String.fetchAll(
                db, sql: "SELECT record FROM jobs \(filter) ORDER BY id DESC LIMIT \(max(1, limit))",
                arguments: arguments
            )
            .map(TrainingJob.init(storedJSON:))
        }
    }

    /// Puts jobs that were running when the trainer stopped back in the queue, with a note; a job
    /// already started `maxAttempts` times is marked failed instead. Returns every queued job,
    /// oldest first.
    public func recoverInterrupted(maxAttempts: Int, nowMillis: Int64) throws -> [TrainingJob] {
        try queue.write { db in
            let running = try String.fetchAll(
                db, sql: "SELECT record FROM jobs WHERE state = ?", arguments: [JobState.running.rawValue]
            )
            .map(TrainingJob.init(storedJSON:))
            for var job in running {
                if job.attempts >= maxAttempts {
                    job.state = .failed
                    job.error =
                        "the trainer stopped while this job was running, \(job.attempts) times; not retried again"
                    job.finishedMillis = nowMillis
                } else {
                    job.state = .queued
                    job.notes.append("re-queued after the trainer stopped during attempt \(job.attempts)")
                }
                try db.execute(
                    sql: "UPDATE jobs SET state = ?, record = ? WHERE id = ?",
                    arguments: [job.state.rawValue, try job.storedJSON(), job.id])
            }
            return try String.fetchAll(
                db, sql: "SELECT record FROM jobs WHERE state = ? ORDER BY id", arguments: [JobState.queued.rawValue]
            )
            .map(TrainingJob.init(storedJSON:))
        }
    }

    /// Puts jobs that were running when this trainer stopped back in the queue (see
    /// ``recoverInterrupted(maxAttempts:nowMillis:)``).
    public func recover(maxAttempts: Int, nowMillis: Int64) throws {
        _ = try recoverInterrupted(maxAttempts: maxAttempts, nowMillis: nowMillis)
    }

    /// Starts up to `limit` queued jobs, oldest first (this trainer is the only one: no lease).
    public func claim(owner: String, limit: Int, lease: Duration, maxAttempts: Int, nowMillis: Int64) throws -> JobClaim
    {
        try queue.write { db in
            let queued = try String.fetchAll(
                db, sql: "SELECT record FROM jobs WHERE state = ? ORDER BY id LIMIT ?",
                arguments: [JobState.queued.rawValue, max(0, limit)]
            ).map(TrainingJob.init(storedJSON:))
            var claimed: [TrainingJob] = []
            for var job in queued {
                job.state = .running
                job.attempts += 1
                job.startedMillis = nowMillis
                try db.execute(
                    sql: "UPDATE jobs SET state = ?, record = ? WHERE id = ?",
                    arguments: [job.state.rawValue, try job.storedJSON(), job.id])
                claimed.append(job)
            }
            return JobClaim(claimed: claimed)
        }
    }

    /// Nothing to renew: the only trainer holds every running job.
    public func renew(owner: String, jobIDs: [Int64], lease: Duration) -> LeaseRenewal {
        LeaseRenewal()
    }

    /// Records the outcome (always held: there is no other trainer).
    public func finish(_ job: TrainingJob, owner: String) throws -> Bool {
        try update(job)
        return true
    }

    /// Cancels a queued job; a running one is returned as it is (the runner stops it itself).
    public func requestCancel(_ id: Int64, nowMillis: Int64) throws -> TrainingJob? {
        try queue.write { db in
            guard
                var job = try String.fetchOne(db, sql: "SELECT record FROM jobs WHERE id = ?", arguments: [id]).map(
                    TrainingJob.init(storedJSON:))
            else { return nil }
            if job.state == .queued {
                job.state = .cancelled
                job.finishedMillis = nowMillis
                try db.execute(
                    sql: "UPDATE jobs SET state = ?, record = ? WHERE id = ?",
                    arguments: [job.state.rawValue, try job.storedJSON(), job.id])
            }
            return job
        }
    }

    /// Progress stays in the runner's memory (one trainer).
    public func recordProgress(jobID: Int64, report: EpochReport, owner: String) {}

    /// No other trainers: finishes at once.
    public func foreignEvents() -> AsyncStream<JobEvent> {
        AsyncStream { $0.finish() }
    }

    /// Nothing to close (the database closes with the store).
    public func close() {}

    /// A stored setting.
    public func setting(_ key: String) throws -> String? {
        try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key])
        }
    }

    /// Stores a setting.
    public func setSetting(_ key: String, _ value: String) throws {
        try queue.write { db in try Self.store(db, key, value) }
    }

    private static func store(_ db: Database, _ key: String, _ value: String) throws {
        try db.execute(
            sql:
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }
}
