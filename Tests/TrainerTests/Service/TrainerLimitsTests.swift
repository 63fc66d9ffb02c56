import ChurnML
import Foundation
import Testing
import Trainer
import Wire

@Suite("Trainer tokens and concurrency", .serialized)
struct TrainerLimitsTests {
    @Test(
        "with a token: submitting needs it, reading does not, and the trainer publishes to a token-protected registry")
    func tokens() async throws {
        let directory = try temporaryDirectory("trainer-token")
        let registry = try await RunningServer.registry(directory: "\(directory)/registry", token: "s3cret")
        let trainer = try await RunningTrainer.start(directory: directory, registryPort: registry.port, token: "s3cret")
        let registryClient = try await RegistryClient.connect(
            host: "127.0.0.1", port: registry.port, configuration: WireClientConfiguration(token: "s3cret"))
        _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 400, seed: 4), name: "bank")

        let anonymous = try await trainer.client()
        do {
            _ = try await anonymous.submit(SubmitJobRequest(dataset: "bank"))
            Issue.record("a submit without the token was accepted")
        } catch let error as WireClientError {
            #expect(error.serverCode == .unauthorized)
        }
        #expect(try await anonymous.list().isEmpty, "reads need no token")

        let client = try await trainer.client(token: "s3cret")
        let job = try await finished(
            client, try await client.submit(SubmitJobRequest(dataset: "bank", options: ["epochs": .integer(1)])).id)
        #expect(job.state == .succeeded, "\(job.error ?? "")")
        #expect(try await registryClient.model("churn@production").version.version == 1)

        await anonymous.close()
        await client.close()
        await registryClient.close()
        try await trainer.server.stop()
        try await registry.stop()
    }

    @Test("at most max-concurrent-jobs run at once; the rest wait in order")
    func concurrency() async throws {
        let directory = try temporaryDirectory("trainer-concurrency")
        try FileManager.default.createDirectory(atPath: "\(directory)/datasets", withIntermediateDirectories: true)
        try Data(SyntheticBankData.csv(rows: 500, seed: 6)).write(
            to: URL(fileURLWithPath: "\(directory)/datasets/bank.csv"))
        let runner = JobRunner(
            store: try JobStore(path: "\(directory)/jobs.sqlite"),
            backend: try LocalDirectoryBackend(directory: directory),
            maxConcurrent: 2, logger: quietLogger)
        var configuration = TrainingConfiguration()
        configuration.epochs = 1_000_000
        var ids: [Int64] = []
        for _ in 0..<3 {
            ids.append(try await runner.submit(dataset: "bank", modelName: "bank", configuration: configuration).id)
        }
        #expect(try await runner.jobs(states: [.queued]).count == 3, "nothing starts before start()")
        try await runner.start()
        var states: [JobState] = []
        for _ in 0..<400 {
            states = try await ids.asyncMap { try await runner.job($0)?.state ?? .failed }
            if states == [.running, .running, .queued] { break }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        #expect(states == [.running, .running, .queued])
        _ = try await runner.cancel(ids[0])
        for _ in 0..<400 {
            states = try await ids.asyncMap { try await runner.job($0)?.state ?? .failed }
            if states == [.cancelled, .running, .running] { break }
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        #expect(states == [.cancelled, .running, .running], "the queued job takes the free slot")
        for id in ids { _ = try await runner.cancel(id) }
        for _ in 0..<400 where try await runner.jobs(states: [.running]).count > 0 {
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        #expect(try await runner.jobs(states: [.cancelled]).count == 3)
    }
}

extension Array {
    /// Maps with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
