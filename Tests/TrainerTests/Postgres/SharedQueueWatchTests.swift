import ChurnClient
import ChurnML
import Foundation
import Logging
import ServiceKit
import Testing
import Wire

@testable import Trainer

/// `jobs submit --watch` against a trainer that does not run the job: the trainer that claims it
/// is another one sharing the queue, and every epoch and the outcome still reach the watcher.
@Suite("Watching a job another trainer runs", .enabled(if: JobQueueTestDatabase.enabled))
struct SharedQueueWatchTests {
    @Test("submitted to trainer B, run by trainer A: B's watcher sees every epoch and the success")
    func watchThroughOtherTrainer() async throws {
        try await JobQueueTestDatabase.with { database in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let registry = try await RunningServer.registry(directory: directory + "/registry")
            let registryClient = try await RegistryClient.connect(
                host: "127.0.0.1", port: registry.port, configuration: WireClientConfiguration(clientName: "test"))
            _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 600, seed: 8), name: "bank")
            let backend = try RegistryBackend(
                host: "127.0.0.1", port: registry.port,
                configuration: WireClientConfiguration(clientName: "test-trainer"),
                policy: .never, logger: quietLogger)
            let (queueA, queueB) = (try await database.queue("a"), try await database.queue("b"))
            // Trainer A runs jobs; trainer B serves clients but never claims (its runner is not started).
            let runnerA = JobRunner(
                store: queueA, backend: backend, lease: .seconds(2), instance: "a", logger: quietLogger)
            try await runnerA.start()
            let runnerB = JobRunner(
                store: queueB, backend: backend, lease: .seconds(2), instance: "b", logger: quietLogger)
            let relayB = TrainerEventRelay(logger: quietLogger)
            let serverB = try await RunningServer.start(
                role: "trainer", handler: TrainerHandler(runner: runnerB, logger: quietLogger)
            ) {
                relayB.attach(to: $0.events)
            }
            let following = Task { await relayB.follow(queueB) }
            try await Task.sleep(for: .milliseconds(500))  // B's LISTEN is up
            let client = try await TrainerClient.connect(
                host: "127.0.0.1", port: serverB.port, configuration: WireClientConfiguration(clientName: "test"))
            var options = try TrainingOptionsCodec.encode(TrainingConfiguration())
            options["epochs"] = .integer(7)
            let job = try await client.submit(SubmitJobRequest(dataset: "bank", modelName: "bank", options: options))
            var epochs: [Int] = []
            var final: JobRecord?
            for try await event in client.watch(job: job.id) {
                switch event {
                case .progress(let progress): epochs.append(progress.epoch)
                case .state(let record): final = record
                }
            }
            #expect(epochs == Array(1...7), "every epoch, in order, from the other trainer")
            #expect(final?.state == .succeeded && final?.result?.modelVersion == 1)
            let runningOnA = try await runnerA.job(job.id)
            #expect(runningOnA?.state == .succeeded)
            following.cancel()
            await client.close()
            await registryClient.close()
            await runnerA.stop()
            try await serverB.stop()
            try await registry.stop()
            await queueA.close()
            await queueB.close()
        }
    }
}
