import ChurnML
import Foundation
import Testing
import Trainer
import Wire

@Suite("Trainer auto-train", .serialized)
struct AutoTrainerTests {
    /// Waits until the runner holds `count` jobs, then returns them (newest first).
    private func jobs(_ runner: JobRunner, count: Int) async throws -> [TrainingJob] {
        for _ in 0..<600 {
            let jobs = try await runner.jobs()
            if jobs.count >= count { return jobs }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return try await runner.jobs()
    }

    @Test(
        "a push of the followed dataset trains once, pinned to its bytes; a push made while stopped trains after restart"
    )
    func followAndResume() async throws {
        let directory = try temporaryDirectory("autotrain")
        let registry = try await RunningServer.registry(directory: "\(directory)/registry")
        let registryClient = try await RegistryClient.connect(host: "127.0.0.1", port: registry.port)
        // Pushed before the trainer ever ran: history, not trained.
        _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 300, seed: 1), name: "bank")

        let store = try JobStore(path: "\(directory)/jobs.sqlite")
        let backend = try RegistryBackend(
            host: "127.0.0.1", port: registry.port, configuration: WireClientConfiguration(), policy: .always,
            logger: quietLogger)
        let runner = JobRunner(store: store, backend: backend, logger: quietLogger)
        try await runner.start()
        var configuration = TrainingConfiguration()
        configuration.epochs = 1
        let rule = AutoTrainer.Rule(dataset: "bank", modelName: "auto", configuration: configuration)
        func autoTrainer() -> AutoTrainer {
            AutoTrainer(
                rule: rule, store: store, runner: runner, host: "127.0.0.1", port: registry.port,
                configuration: WireClientConfiguration(), logger: quietLogger)
        }

        let first = autoTrainer()
        #expect(await first.prepare())
        #expect(try await first.lastSequence() == 1, "starts at the head: one event so far")
        let following = Task { await first.run() }
        _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 300, seed: 9), name: "other")
        let b = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 300, seed: 2), name: "bank")
        let afterB = try await jobs(runner, count: 1)
        following.cancel()
        await following.value
        #expect(afterB.map(\.dataset) == ["bank@\(b.sha256)"])
        #expect(afterB.first?.notes.first?.contains("auto-train") == true)

        // "Down": a push nobody is following.
        let c = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 300, seed: 3), name: "bank")
        let resumed = Task { await autoTrainer().run() }
        let afterC = try await jobs(runner, count: 2)
        try await Task.sleep(nanoseconds: 500_000_000)
        let settled = try await runner.jobs()
        resumed.cancel()
        await resumed.value
        #expect(afterC.map(\.dataset) == ["bank@\(c.sha256)", "bank@\(b.sha256)"])
        #expect(settled.count == 2, "nothing trains twice")
        // The stored position covers C's push, so a third start would not train it again.
        let log = try await registryClient.events(after: 0, limit: 1000).events
        let pushC = try #require(log.last { $0.kind == .datasetPushed && $0.name == "bank" })
        #expect((try await first.lastSequence() ?? 0) >= pushC.sequence)

        await registryClient.close()
        try await registry.stop()
    }
}
