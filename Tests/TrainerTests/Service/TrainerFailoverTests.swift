import ChurnML
import Foundation
import Testing
import Trainer
import Wire

/// The trainer given a list of registry replicas whose first is down: auto-train finds the head,
/// follows pushes, fetches the dataset and publishes, all on the replica that answers.
@Suite("Trainer registry failover", .serialized)
struct TrainerFailoverTests {
    @Test("auto-train and publish over [dead registry, live registry]")
    func autoTrainOverAReplicaList() async throws {
        let directory = try temporaryDirectory("trainer-failover")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A registry started and stopped: nothing listens on its port any more.
        let gone = try await RunningServer.registry(directory: "\(directory)/gone")
        let deadPort = gone.port
        try await gone.stop()
        let registry = try await RunningServer.registry(directory: "\(directory)/registry")
        let registryClient = try await RegistryClient.connect(host: "127.0.0.1", port: registry.port)
        _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 300, seed: 1), name: "bank")

        let endpoints = try RoleEndpoints(parsing: "127.0.0.1:\(deadPort),127.0.0.1:\(registry.port)", role: "registry")
        let store = try JobStore(path: "\(directory)/jobs.sqlite")
        let backend = try RegistryBackend(
            endpoints: endpoints, configuration: WireClientConfiguration(), policy: .always, logger: quietLogger)
        let runner = JobRunner(store: store, backend: backend, logger: quietLogger)
        try await runner.start()
        var configuration = TrainingConfiguration()
        configuration.epochs = 1
        let autoTrainer = AutoTrainer(
            rule: AutoTrainer.Rule(dataset: "bank", modelName: "auto", configuration: configuration), store: store,
            runner: runner, endpoints: endpoints, configuration: WireClientConfiguration(), logger: quietLogger)

        #expect(await autoTrainer.prepare())
        #expect(try await autoTrainer.lastSequence() == 1, "the live registry's head: one push so far")
        let following = Task { await autoTrainer.run() }
        let pushed = try await registryClient.pushDataset(
            bytes: SyntheticBankData.csv(rows: 300, seed: 2), name: "bank")
        var job: TrainingJob?
        for _ in 0..<1200 {
            job = try await runner.jobs().first
            if job?.state.isFinished == true { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        following.cancel()
        await following.value
        #expect(job?.dataset == "bank@\(pushed.sha256)")
        #expect(job?.state == .succeeded, "\(job?.error ?? "")")
        // Published on the live registry, with production moved (policy always).
        let published = try await registryClient.model("auto@production").version
        #expect(published.version == 1)
        #expect(published.tags["dataset"] == "bank@\(pushed.sha256)")

        await registryClient.close()
        try await registry.stop()
    }
}
