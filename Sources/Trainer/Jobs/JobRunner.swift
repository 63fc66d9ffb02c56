import ChurnML
import Foundation
import Logging
import ServiceKit
import Wire

/// Runs training jobs: accepts them durably, starts up to `maxConcurrent` at a time, trains on a
/// background thread (never on an event loop), publishes through the backend, and records every
/// outcome. Jobs interrupted by a crash are re-queued when the runner starts.
public actor JobRunner {
    private let store: JobStore
    private let backend: any TrainingBackend
    private let maxConcurrent: Int
    private let maxAttempts: Int
    private let logger: Logger
    private let onEvent: @Sendable (JobEvent) -> Void
    private var running: [Int64: CancellationFlag] = [:]
    private var latestProgress: [Int64: EpochReport] = [:]
    /// Jobs start only after `start()` has recovered interrupted ones (a job submitted earlier waits).
    private var started = false

    /// A runner over `store`; call `start()` to recover interrupted jobs and begin.
    public init(
        store: JobStore, backend: any TrainingBackend, maxConcurrent: Int = 1, maxAttempts: Int = 3,
        logger: Logger, onEvent: @escaping @Sendable (JobEvent) -> Void = { _ in }
    ) {
        self.store = store
        self.backend = backend
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxAttempts = max(1, maxAttempts)
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Re-queues jobs that were running when the trainer stopped and starts queued jobs.
    public func start() throws {
        let queued = try store.recoverInterrupted(maxAttempts: maxAttempts, nowMillis: Self.now())
        if !queued.isEmpty { logger.info("resuming queued jobs", metadata: ["count": "\(queued.count)"]) }
        started = true
        try schedule()
    }

    /// Accepts a job (stored before this returns, together with `settings`) and starts it when a
    /// slot is free.
    public func submit(
        dataset: String, modelName: String, configuration: TrainingConfiguration, target: String? = nil,
        tags: [String: String] = [:], notes: [String] = [], settings: [String: String] = [:],
        idempotency: IdempotentRequest? = nil
    ) throws -> TrainingJob {
        if let idempotency, let first = try store.idempotentJob(idempotency, nowMillis: Self.now()),
            let job = try job(first)
        {
            return job
        }
        try configuration.validate()
        var new = TrainingJob(
            dataset: dataset, modelName: modelName, configuration: configuration, target: target, tags: tags,
            submittedMillis: Self.now())
        new.notes = notes
        let job = try store.insert(new, settings: settings, idempotency: idempotency)
        onEvent(.stateChanged(job))
        try schedule()
        return try store.job(job.id) ?? job
    }

    /// Cancels a queued or running job; a finished job is returned unchanged. A keyed cancel that
    /// was applied before returns its job as it is now.
    public func cancel(_ id: Int64, idempotency: IdempotentRequest? = nil) throws -> TrainingJob? {
        if let idempotency, let first = try store.idempotentJob(idempotency, nowMillis: Self.now()) {
            return try job(first)
        }
        guard var job = try store.job(id) else { return nil }
        if let idempotency { try store.recordIdempotent(idempotency, jobID: id, nowMillis: Self.now()) }
        if let flag = running[id] {
            flag.cancel()
        } else if job.state == .queued {
            job.state = .cancelled
            job.finishedMillis = Self.now()
            try store.update(job)
            onEvent(.stateChanged(job))
        }
        return job
    }

    /// The job with `id`, with its latest in-memory progress.
    public func job(_ id: Int64) throws -> TrainingJob? {
        guard var job = try store.job(id) else { return nil }
        if let progress = latestProgress[id] { job.progress = progress }
        return job
    }

    /// Jobs, newest first.
    public func jobs(states: Set<JobState> = [], limit: Int = 100) throws -> [TrainingJob] {
        try store.jobs(states: states, limit: limit).map { job in
            var job = job
            if let progress = latestProgress[job.id] { job.progress = progress }
            return job
        }
    }

    /// Starts queued jobs, oldest first, while slots are free.
    private func schedule() throws {
        guard started, running.count < maxConcurrent else { return }
        let queued = try store.jobs(states: [.queued], limit: 1000).sorted { $0.id < $1.id }
        for var job in queued.prefix(maxConcurrent - running.count) {
            job.state = .running
            job.attempts += 1
            job.startedMillis = Self.now()
            try store.update(job)
            onEvent(.stateChanged(job))
            let flag = CancellationFlag()
            running[job.id] = flag
            let started = job
            Task { await self.execute(started, flag: flag) }
        }
    }

    /// Fetches, trains (on a background thread), publishes and records one job.
    private func execute(_ job: TrainingJob, flag: CancellationFlag) async {
        var finished = job
        let clock = ContinuousClock()
        do {
            let fetchStart = clock.now
            let dataset = try await backend.fetchDataset(job.dataset)
            let trainStart = clock.now
            let onEvent = self.onEvent
            let output = try await Self.train(job: job, dataset: dataset, flag: flag) { [weak self] report in
                // Observers hear each epoch at once, in order, from the training thread.
                onEvent(.progress(jobID: job.id, report: report))
                guard let self else { return }
                Task { await self.recordProgress(job.id, report) }
            }
            for message in output.messages {
                logger.notice("dataset column", metadata: ["job": "\(job.id)", "dataset": "\(job.dataset)", "note": "\(message)"])
            }
            let publishStart = clock.now
            let published = try await backend.publish(output, for: job)
            let end = clock.now
            finished.state = .succeeded
            finished.result = JobResult(
                datasetSHA256: output.datasetSHA256, bundleSHA256: output.bundleSHA256, modelVersion: published.version,
                testMetrics: output.outcome.testMetrics, trainSeconds: output.outcome.trainSeconds,
                epochsRun: output.outcome.epochsRun, fetchMillis: Self.millis(trainStart - fetchStart),
                trainMillis: Self.millis(publishStart - trainStart), publishMillis: Self.millis(end - publishStart),
                promotion: published.promotion)
        } catch is CancellationError {
            finished.state = .cancelled
        } catch {
            finished.state = .failed
            finished.error = "\(error)"
            logger.warning("job failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
        finished.finishedMillis = Self.now()
        finished.progress = latestProgress.removeValue(forKey: job.id) ?? finished.progress
        running[job.id] = nil
        do {
            try store.update(finished)
            onEvent(.stateChanged(finished))
            try schedule()
        } catch {
            logger.error("cannot record job outcome", metadata: ["job": "\(job.id)", "error": "\(error)"])
        }
    }

    private func recordProgress(_ id: Int64, _ report: EpochReport) {
        guard running[id] != nil else { return }
        if report.epoch > (latestProgress[id]?.epoch ?? 0) { latestProgress[id] = report }
    }

    /// Runs the CPU-bound training on a thread of its own so no event loop or cooperative thread is blocked.
    private static func train(
        job: TrainingJob, dataset: DatasetFile, flag: CancellationFlag, progress: @escaping @Sendable (EpochReport) -> Void
    ) async throws -> JobExecutor.Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    try JobExecutor.run(
                        datasetBytes: dataset.bytes, csv: dataset.csv, source: job.dataset, configuration: job.configuration,
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
