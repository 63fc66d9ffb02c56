import ChurnML
import Foundation
import Logging
import NIOCore
import ServiceKit
import Testing
import Wire

@testable import Trainer

/// Two job runners (two trainers) over one PostgreSQL queue: work is split, each job ends once,
/// a keyed submit reaching both stores one job, and a cancel sent to one stops a job on the other.
@Suite("Trainers sharing a job queue", .enabled(if: JobQueueTestDatabase.enabled))
struct SharedQueueRunnerTests {
    private func workspace() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shared-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: "\(directory)/datasets", withIntermediateDirectories: true)
        try Data(SyntheticBankData.csv(rows: 600, seed: 4)).write(
            to: URL(fileURLWithPath: "\(directory)/datasets/bank.csv"))
        try Data(SyntheticBankData.csv(rows: 20000, seed: 5)).write(
            to: URL(fileURLWithPath: "\(directory)/datasets/big.csv"))
        return directory
    }

    /// A runner for `queue`; the runners of one test share `backend` (as trainers share a registry:
    /// one backend numbers the versions).
    private func runner(_ queue: PostgresJobQueue, _ backend: LocalDirectoryBackend, events: EventLog) -> JobRunner {
        JobRunner(
            store: queue, backend: backend, lease: .seconds(2), instance: queue.instance,
            logger: JobQueueTestDatabase.logger, onEvent: { events.append($0) })
    }

    private func waitFinished(_ runner: JobRunner, _ ids: [Int64]) async throws -> [TrainingJob] {
        for _ in 0..<1200 {
            let jobs = try await ids.asyncMap { try await runner.job($0) }.compactMap { $0 }
            if jobs.count == ids.count, jobs.allSatisfy({ $0.state.isFinished }) { return jobs }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }

    @Test("12 jobs submitted to two trainers: both train, every job succeeds once, 12 versions")
    func splitWork() async throws {
        try await JobQueueTestDatabase.with { database in
            let directory = try workspace()
            let (eventsA, eventsB) = (EventLog(), EventLog())
            let (queueA, queueB) = (try await database.queue("a"), try await database.queue("b"))
            let backend = try LocalDirectoryBackend(directory: directory)
            let a = runner(queueA, backend, events: eventsA)
            let b = runner(queueB, backend, events: eventsB)
            try await a.start()
            try await b.start()
            var configuration = TrainingConfiguration()
            configuration.epochs = 2
            var ids: [Int64] = []
            for index in 0..<12 {
                let runner = index.isMultiple(of: 2) ? a : b
                ids.append(try await runner.submit(dataset: "bank", modelName: "bank", configuration: configuration).id)
            }
            let jobs = try await waitFinished(a, ids)
            #expect(
                jobs.allSatisfy { $0.state == .succeeded && $0.attempts == 1 },
                "\(jobs.map { ($0.id, $0.state, $0.attempts, $0.error ?? "") })")
            #expect(Set(jobs.compactMap(\.result?.modelVersion)) == Set(1...12), "each job published its own version")
            let runByA = ids.filter { eventsA.states(for: $0).contains(.running) }
            let runByB = ids.filter { eventsB.states(for: $0).contains(.running) }
            #expect(Set(runByA).isDisjoint(with: runByB) && runByA.count + runByB.count == 12)
            #expect(!runByA.isEmpty && !runByB.isEmpty, "both trainers trained")
            await a.stop()
            await b.stop()
            await queueA.close()
            await queueB.close()
        }
    }

    @Test("one keyed submit sent to both trainers stores one job; a cancel sent to the other trainer stops it")
    func keyedSubmitAndRemoteCancel() async throws {
        try await JobQueueTestDatabase.with { database in
            let directory = try workspace()
            let (queueA, queueB) = (try await database.queue("a"), try await database.queue("b"))
            let backend = try LocalDirectoryBackend(directory: directory)
            let a = runner(queueA, backend, events: EventLog())
            let b = runner(queueB, backend, events: EventLog())
            try await a.start()
            var configuration = TrainingConfiguration()
            configuration.epochs = 500
            let request = IdempotentRequest(
                key: .random(), opcode: .submitJob, body: ByteBuffer(string: "{\"dataset\":\"big\"}"))
            async let first = a.submit(
                dataset: "big", modelName: "big", configuration: configuration, idempotency: request)
            async let second = b.submit(
                dataset: "big", modelName: "big", configuration: configuration, idempotency: request)
            let (one, two) = try await (first, second)
            #expect(one.id == two.id)
            #expect(try await queueA.jobs(states: [], limit: 10).count == 1)
            for _ in 0..<200 where try await a.job(one.id)?.progress == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await b.job(one.id)?.state == .running, "b (not started) sees a's job running")
            let cancelled = try #require(try await b.cancel(one.id))
            #expect(cancelled.state == .running, "asked to stop; its owner stops it")
            let ended = try await waitFinished(a, [one.id])
            #expect(ended[0].state == .cancelled)
            await a.stop()
            await queueA.close()
            await queueB.close()
        }
    }
}

extension Sequence {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
