import ChurnML
import Foundation
import Logging
import ServiceKit
import Synchronization
import Wire

/// Runs training jobs: accepts them durably, claims up to `maxConcurrent` at a time from its
/// ``JobQueue``, trains on a background thread (never on an event loop), publishes through the
/// backend, and records every outcome.
///
/// On the embedded queue, jobs interrupted by a crash are re-queued when the runner starts. On a
/// shared queue (several trainers), the runner polls for work every `pollInterval`, renews the
/// leases of the jobs it runs at the same pace, and stops a job whose lease it lost (another
/// trainer re-runs it) or that a CancelJob on another trainer asked to stop. A re-run of a job
/// that already published (its trainer died after publishing) records that publish instead of
/// publishing again.
public actor JobRunner {
    private let queue: any JobQueue
    private let backend: any TrainingBackend
    private let maxConcurrent: Int
    private let maxAttempts: Int
    private let lease: Duration
    private let pollInterval: Duration
    private let logger: Logger
    private let onEvent: @Sendable (JobEvent) -> Void
    /// This trainer's name in the queue (the owner of its leases).
    public nonisolated let instance: String
    /// Why the queue could not be reached at the last claim or renewal, nil when it could.
    private nonisolated let queueProblem = Mutex<String?>(nil)
    private var running: [Int64: CancellationFlag] = [:]
    /// Running jobs whose lease this trainer lost: their outcome is not recorded here.
    private var leaseLost: Set<Int64> = []
    private var latestProgress: [Int64: EpochReport] = [:]
    /// Jobs start only after `start()` has recovered interrupted ones (a job submitted earlier waits).
    private var started = false
    private var scheduling = false
    private var scheduleAgain = false
    private var ticker: Task<Void, Never>?

    /// A runner over `store`; call `start()` to recover interrupted jobs and begin. `lease` is how
    /// long a claim on a shared queue lasts without renewal (renewed every `lease / 4`, at most
    /// every second): a job of a trainer that died is re-run by another about `lease` later.
    public init(
        store: any JobQueue, backend: any TrainingBackend, maxConcurrent: Int = 1, maxAttempts: Int = 3,
        lease: Duration = .seconds(10), instance: String = JobRunner.defaultInstance(), logger: Logger,
        onEvent: @escaping @Sendable (JobEvent) -> Void = { _ in }
    ) {
        self.queue = store
        self.backend = backend
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxAttempts = max(1, maxAttempts)
        self.lease = max(lease, .milliseconds(200))
        self.pollInterval = min(self.lease / 4, .seconds(1))
        self.instance = instance
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Serving while the last claim or lease renewal reached the queue; degraded, saying why,
    /// otherwise (a shared queue is polled every `pollInterval`, so this is at most that old).
    public nonisolated func health() -> HealthResponse {
        guard let problem = queueProblem.withLock({ $0 }) else { return HealthResponse(status: .serving) }
        return HealthResponse(status: .degraded, detail: "job queue \(queue.engine): \(problem)")
    }

    /// A name for this process unique among trainers: host, process id and a random suffix.
    public static func defaultInstance() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Re-queues jobs that were running when the trainer stopped and starts queued jobs; on a
    /// shared queue, starts polling and heartbeats.
    public func start() async throws {
        try await queue.recover(maxAttempts: maxAttempts, nowMillis: Self.now())
        let queued = (try? await queue.jobs(states: [.queued], limit: 1000)) ?? []
        if !queued.isEmpty {
            logger.info("queued jobs", metadata: ["count": "\(queued.count)", "queue": "\(queue.engine)"])
        }
        started = true
        await schedule()
        if queue.isShared, ticker == nil {
            let interval = pollInterval
            ticker = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self else { return }
                    await self.tick()
                }
            }
        }
    }

    /// Stops polling (running jobs go on; a shared queue's leases then expire).
    public func stop() {
        ticker?.cancel()
        ticker = nil
    }

    /// Accepts a job (stored before this returns, together with `settings`) and starts it when a
    /// slot is free. A keyed submit applied before (by any trainer of a shared queue) returns the
    /// job it created.
    public func submit(
        dataset: String, modelName: String, configuration: TrainingConfiguration, target: String? = nil,
        tags: [String: String] = [:], notes: [String] = [], settings: [String: String] = [:],
        idempotency: IdempotentRequest? = nil
    ) async throws -> TrainingJob {
        if let idempotency, let job = try await earlierJob(idempotency) { return job }
        try configuration.validate()
        var new = TrainingJob(
            dataset: dataset, modelName: modelName, configuration: configuration, target: target, tags: tags,
            submittedMillis: Self.now())
        new.notes = notes
        let job: TrainingJob
        do {
            job = try await queue.insert(new, settings: settings, idempotency: idempotency)
        } catch is JobKeyTaken {
            // Another trainer stored a job under this key a moment ago.
            guard let idempotency, let job = try await earlierJob(idempotency) else {
                throw JobQueueError.database("an idempotency key was taken but is not recorded")
            }
            return job
        }
        onEvent(.stateChanged(job))
        await schedule()
        return try await self.job(job.id) ?? job
    }

    /// The job a keyed request was applied to before, if any.
    private func earlierJob(_ idempotency: IdempotentRequest) async throws -> TrainingJob? {
        guard let first = try await queue.idempotentJob(idempotency, nowMillis: Self.now()) else { return nil }
        return try await job(first)
    }

    /// Cancels a queued or running job (running on this trainer or, with a shared queue, on
    /// another); a finished job is returned unchanged. A keyed cancel that was applied before
    /// returns its job as it is now.
    public func cancel(_ id: Int64, idempotency: IdempotentRequest? = nil) async throws -> TrainingJob? {
        if let idempotency, let first = try await queue.idempotentJob(idempotency, nowMillis: Self.now()) {
            return try await job(first)
        }
        guard let before = try await queue.job(id) else { return nil }
        if let idempotency { try await queue.recordIdempotent(idempotency, jobID: id, nowMillis: Self.now()) }
        if let flag = running[id] {
            flag.cancel()
            return try await job(id)
        }
        guard let job = try await queue.requestCancel(id, nowMillis: Self.now()) else { return nil }
        if before.state == .queued, job.state == .cancelled { onEvent(.stateChanged(job)) }
        return job
    }

    /// The job with `id`, with its latest progress.
    public func job(_ id: Int64) async throws -> TrainingJob? {
        guard var job = try await queue.job(id) else { return nil }
        if let progress = latestProgress[id] { job.progress = progress }
        return job
    }

    /// Jobs, newest first.
    public func jobs(states: Set<JobState> = [], limit: Int = 100) async throws -> [TrainingJob] {
        try await queue.jobs(states: states, limit: limit).map { job in
            var job = job
            if let progress = latestProgress[job.id] { job.progress = progress }
            return job
        }
    }

    /// One beat of a shared queue: renew leases (stopping jobs whose lease was lost or that were
    /// asked to cancel), then claim work if slots are free.
    private func tick() async {
        if !running.isEmpty {
            do {
                let renewal = try await queue.renew(owner: instance, jobIDs: Array(running.keys), lease: lease)
                queueProblem.withLock { $0 = nil }
                for id in renewal.lost where running[id] != nil && !leaseLost.contains(id) {
                    leaseLost.insert(id)
                    running[id]?.cancel()
                    logger.warning(
                        "lost the lease of a running job; stopping it (another trainer re-runs it)",
                        metadata: ["job": "\(id)"])
                }
                for id in renewal.cancelRequested { running[id]?.cancel() }
            } catch {
                queueProblem.withLock { $0 = "\(error)" }
                logger.warning("cannot renew job leases", metadata: ["error": "\(error)"])
            }
        }
        await schedule()
    }

    /// Claims queued jobs while slots are free and starts them.
    private func schedule() async {
        guard started else { return }
        guard !scheduling else {
            scheduleAgain = true
            return
        }
        scheduling = true
        defer { scheduling = false }
        repeat {
            scheduleAgain = false
            let free = maxConcurrent - running.count
            guard free > 0 else { return }
            let claim: JobClaim
            do {
                claim = try await queue.claim(
                    owner: instance, limit: free, lease: lease, maxAttempts: maxAttempts, nowMillis: Self.now())
                queueProblem.withLock { $0 = nil }
            } catch {
                queueProblem.withLock { $0 = "\(error)" }
                logger.warning("cannot claim jobs", metadata: ["error": "\(error)", "queue": "\(queue.engine)"])
                return
            }
            for job in claim.gaveUp { onEvent(.stateChanged(job)) }
            for job in claim.claimed {
                onEvent(.stateChanged(job))
                let flag = CancellationFlag()
                running[job.id] = flag
                Task { await self.execute(job, flag: flag) }
            }
        } while scheduleAgain
    }

    /// Fetches, trains (on a background thread), publishes and records one job.
    private func execute(_ job: TrainingJob, flag: CancellationFlag) async {
        var finished = job
        let clock = ContinuousClock()
        do {
            if job.attempts > 1, let earlier = try await backend.earlierPublish(for: job) {
                // Its trainer died after publishing: record that publish, do not publish again.
                finished.state = .succeeded
                finished.result = earlier
                finished.notes.append(
                    "published by attempt \(job.attempts - 1) before its trainer stopped (version \(earlier.modelVersion.map(String.init) ?? "?")); not published again"
                )
            } else {
                let fetchStart = clock.now
                let dataset = try await backend.fetchDataset(job.dataset)
                let trainStart = clock.now
                let (onEvent, queue, instance) = (self.onEvent, self.queue, self.instance)
                let output = try await Self.train(job: job, dataset: dataset, flag: flag) { [weak self] report in
                    // Observers hear each epoch at once, in order, from the training thread.
                    onEvent(.progress(jobID: job.id, report: report))
                    queue.recordProgress(jobID: job.id, report: report, owner: instance)
                    guard let self else { return }
                    Task { await self.recordProgress(job.id, report) }
                }
                for message in output.messages {
                    logger.notice(
                        "dataset column",
                        metadata: ["job": "\(job.id)", "dataset": "\(job.dataset)", "note": "\(message)"])
                }
                try await ensureLease(job.id)
                let publishStart = clock.now
                let published = try await backend.publish(output, for: job)
                let end = clock.now
                finished.state = .succeeded
                finished.result = JobResult(
                    datasetSHA256: output.datasetSHA256, bundleSHA256: output.bundleSHA256,
                    modelVersion: published.version,
                    testMetrics: output.outcome.testMetrics, trainSeconds: output.outcome.trainSeconds,
                    epochsRun: output.outcome.epochsRun, fetchMillis: Self.millis(trainStart - fetchStart),
                    trainMillis: Self.millis(publishStart - trainStart), publishMillis: Self.millis(end - publishStart),
                    promotion: published.promotion)
            }
        } catch is CancellationError {
            finished.state = .cancelled
        } catch {
            finished.state = .failed
            finished.error = "\(error)"
            if !leaseLost.contains(job.id) {
                logger.warning("job failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
        finished.finishedMillis = Self.now()
        finished.progress = latestProgress.removeValue(forKey: job.id) ?? finished.progress
        running[job.id] = nil
        let lost = leaseLost.remove(job.id) != nil
        do {
            if !lost, try await queue.finish(finished, owner: instance) {
                onEvent(.stateChanged(finished))
            } else {
                logger.warning(
                    "job outcome not recorded: another trainer holds the job now", metadata: ["job": "\(job.id)"])
            }
        } catch {
            logger.error("cannot record job outcome", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        await schedule()
    }

    /// Throws unless this trainer still holds job `id` (checked with the queue right before
    /// publishing, so a trainer that lost its lease does not publish what another re-runs).
    private func ensureLease(_ id: Int64) async throws {
        guard queue.isShared else { return }
        let renewal = try await queue.renew(owner: instance, jobIDs: [id], lease: lease)
        if renewal.lost.contains(id) || leaseLost.contains(id) {
            leaseLost.insert(id)
            throw JobLeaseLost(jobID: id)
        }
    }

    private func recordProgress(_ id: Int64, _ report: EpochReport) {
        guard running[id] != nil else { return }
        if report.epoch > (latestProgress[id]?.epoch ?? 0) { latestProgress[id] = report }
    }

    /// Runs the CPU-bound training on a thread of its own so no event loop or cooperative thread is
    /// blocked. Not on the process's blocking pool (`BlockingIO`, where the registry's SQLite and
    /// file work runs): a job holds its thread for minutes, so jobs there would take threads that
    /// short blocking calls wait for. The thread also gets an 8 MiB stack, which the pool's threads
    /// do not promise.
    private static func train(
        job: TrainingJob, dataset: DatasetFile, flag: CancellationFlag,
        progress: @escaping @Sendable (EpochReport) -> Void
    ) async throws -> JobExecutor.Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try JobExecutor.run(
                            datasetBytes: dataset.bytes, csv: dataset.csv, source: job.dataset,
                            configuration: job.configuration,
                            target: job.target,
                            progress: progress, shouldCancel: { flag.isCancelled })
                    })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// A duration in milliseconds, to 0.01 ms.
    private static func millis(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 100).rounded() / 100
    }

    private static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }
}
