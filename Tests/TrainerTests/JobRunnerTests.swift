import ChurnML
import Foundation
import Logging
import Testing
import Wire

@testable import Trainer

@Suite("Trainer job runner")
struct JobRunnerTests {
    private func workspace() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("runner-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: "\(directory)/datasets", withIntermediateDirectories: true)
        return directory
    }

    /// Polls until `id` has finished.
    private func finished(_ runner: JobRunner, _ id: Int64) async throws -> TrainingJob {
        for _ in 0..<600 {
            if let job = try await runner.job(id), job.state.isFinished { return job }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw CancellationError()
    }

    @Test("jobs publish versions; a broken dataset fails with its parse error and the next job still succeeds")
    func lifecycle() async throws {
        let directory = try workspace()
        try Data(SyntheticBankData.csv(rows: 800, seed: 1)).write(
            to: URL(fileURLWithPath: "\(directory)/datasets/bank.csv"))
        try Data("a,b,churned\n1,2,0\n3,4\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/datasets/broken.csv"))
        let store = try JobStore(path: "\(directory)/jobs.sqlite")
        let events = EventLog()
        let runner = JobRunner(
            store: store, backend: try LocalDirectoryBackend(directory: directory), logger: Logger(label: "test"),
            onEvent: { events.append($0) })
        try await runner.start()
        var configuration = TrainingConfiguration()
        configuration.epochs = 3
        let broken = try await runner.submit(dataset: "broken", modelName: "bank", configuration: configuration)
        let first = try await runner.submit(dataset: "bank", modelName: "bank", configuration: configuration)
        let second = try await runner.submit(dataset: "bank", modelName: "bank", configuration: configuration)
        let failed = try await finished(runner, broken.id)
        #expect(failed.state == .failed)
        #expect(failed.error?.contains("broken:3") == true, "\(failed.error ?? "")")
        let one = try await finished(runner, first.id)
        let two = try await finished(runner, second.id)
        #expect(one.state == .succeeded && two.state == .succeeded)
        #expect(one.result?.modelVersion == 1 && two.result?.modelVersion == 2)
        #expect(one.result?.testMetrics == two.result?.testMetrics, "same data and seed")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/models/bank-v2.churn"))
        #expect(events.progressCount(for: first.id) == 3)
        #expect(try await runner.job(999) == nil)
    }

    @Test("a running job can be cancelled")
    func cancel() async throws {
        let directory = try workspace()
        try Data(SyntheticBankData.csv(rows: 2000, seed: 2)).write(
            to: URL(fileURLWithPath: "\(directory)/datasets/bank.csv"))
        let runner = JobRunner(
            store: try JobStore(path: "\(directory)/jobs.sqlite"),
            backend: try LocalDirectoryBackend(directory: directory),
            logger: Logger(label: "test"))
        try await runner.start()
        var configuration = TrainingConfiguration()
        configuration.epochs = 100_000
        let job = try await runner.submit(dataset: "bank", modelName: "slow", configuration: configuration)
        for _ in 0..<200 where (try await runner.job(job.id))?.progress == nil {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        _ = try await runner.cancel(job.id)
        let cancelled = try await finished(runner, job.id)
        #expect(cancelled.state == .cancelled)
        #expect((cancelled.progress?.epoch ?? 0) < 100_000)
    }
}

/// Collects runner events across tasks.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [JobEvent] = []

    func append(_ event: JobEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    func progressCount(for id: Int64) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return events.filter { if case .progress(let job, _) = $0 { return job == id } else { return false } }.count
    }

    /// The states job `id` was announced in, in order.
    func states(for id: Int64) -> [JobState] {
        lock.lock()
        defer { lock.unlock() }
        return events.compactMap {
            if case .stateChanged(let job) = $0, job.id == id { return job.state } else { return nil }
        }
    }
}
