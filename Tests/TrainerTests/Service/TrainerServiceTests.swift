import ChurnClient
import ChurnML
import Foundation
import Testing
import Trainer
import Wire

/// The trainer's wire service over a real in-process registry (no mocks).
@Suite("Trainer service", .serialized)
struct TrainerServiceTests {
    private func options(epochs: Int, seed: UInt64 = 1) throws -> [String: JobOptionValue] {
        var configuration = TrainingConfiguration()
        configuration.epochs = epochs
        configuration.seed = seed
        return try TrainingOptionsCodec.encode(configuration)
    }

    @Test(
        "submit trains on a registry dataset, streams every epoch, publishes, and if-better compares on the same held-out rows"
    )
    func submitWatchPromote() async throws {
        let directory = try temporaryDirectory("trainer-service")
        let registry = try await RunningServer.registry(directory: "\(directory)/registry")
        let trainer = try await RunningTrainer.start(directory: directory, registryPort: registry.port)
        let registryClient = try await RegistryClient.connect(host: "127.0.0.1", port: registry.port)
        let csv = SyntheticBankData.csv(rows: 1500, seed: 5)
        let pushed = try await registryClient.pushDataset(bytes: csv, name: "bank")
        let client = try await trainer.client()
        // A second client hears every event of every job.
        let observer = try await trainer.client()
        let allEvents = try await observer.events()
        let heard = Task {
            var progress = 0
            var states: [JobState] = []
            for try await event in allEvents {
                switch event {
                case .progress: progress += 1
                case .state(let record):
                    states.append(record.state)
                    if record.state.isFinished { return (progress, states) }
                }
            }
            return (progress, states)
        }

        // Job 1: no production yet → promoted. Watch sees the queued/running state, then 3 epochs, then the end.
        let first = try await client.submit(
            SubmitJobRequest(dataset: "bank", options: try options(epochs: 3), tags: ["team": "risk"]))
        var epochs: [Int] = []
        var last: JobRecord?
        for try await event in client.watch(job: first.id) {
            switch event {
            case .progress(let progress): epochs.append(progress.epoch)
            case .state(let record): last = record
            }
        }
        #expect(epochs == [1, 2, 3])
        let (heardProgress, heardStates) = try await heard.value
        #expect(heardProgress == 3)
        #expect(heardStates == [.queued, .running, .succeeded])
        await observer.close()
        let one = try #require(last)
        #expect(one.state == .succeeded, "\(one.error ?? "")")
        let oneResult = try #require(one.result)
        #expect(oneResult.modelVersion == 1)
        #expect(oneResult.datasetSHA256 == pushed.sha256)
        #expect(oneResult.promotion?.promoted == true)
        #expect(oneResult.promotion?.productionVersion == nil)
        #expect(oneResult.fetchMillis != nil && oneResult.trainMillis != nil && oneResult.publishMillis != nil)
        let v1 = try await registryClient.model("churn@1").version
        #expect(v1.aliases == ["production"])
        #expect(v1.tags["team"] == "risk" && v1.tags["trainer.job"] == "\(first.id)")
        #expect(v1.metrics == oneResult.metrics)

        // Jobs 2 and 3: decided against the production version on the same held-out rows.
        var production = 1
        for (index, epochs) in [40, 1].enumerated() {
            let job = try await finished(
                client,
                try await client.submit(
                    SubmitJobRequest(dataset: "bank@\(pushed.sha256.prefix(8))", options: try options(epochs: epochs))
                ).id)
            let result = try #require(job.result, "\(job.error ?? "")")
            let promotion = try #require(result.promotion)
            let version = index + 2
            #expect(result.modelVersion == version)
            #expect(promotion.productionVersion == production)
            // Independent check: both bundles scored on rows split the way ModelTrainer splits them.
            let table = try CSVReader.parse(csv, source: "bank")
            let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
            let labels = try SchemaInference.labels(of: table, schema: schema)
            var generator = SeededGenerator(seed: 1)
            let test = StratifiedSplit(labels: labels, testShare: 0.2, validationShare: 0, generator: &generator).test
            func auc(_ reference: String) async throws -> Double {
                let bundle = try BundleCodec.decode(try await registryClient.fetchModel(reference).bytes)
                let scores = try bundle.predict(table.rows(test)).probabilities
                return naiveROCAUC(labels: test.map { labels[$0] }, scores: scores)
            }
            let newAUC = try await auc("churn@\(version)")
            let oldAUC = try await auc("churn@\(production)")
            #expect(abs((promotion.newValue ?? -1) - newAUC) < 1e-9)
            #expect(abs((promotion.productionValue ?? -1) - oldAUC) < 1e-9)
            #expect(promotion.promoted == (newAUC > oldAUC), "\(promotion.reason)")
            if promotion.promoted { production = version }
            #expect(try await registryClient.model("churn@production").version.version == production)
        }
        #expect(try await client.list().map(\.id) == [3, 2, 1])
        #expect(try await client.list(states: [.failed]).isEmpty)

        await client.close()
        await registryClient.close()
        try await trainer.server.stop()
        try await registry.stop()
    }

    @Test(
        "bad requests name the key at fault; a missing dataset fails the job and the trainer keeps serving; cancel stops a job"
    )
    func refusalsFailuresCancel() async throws {
        let directory = try temporaryDirectory("trainer-refusals")
        let registry = try await RunningServer.registry(directory: "\(directory)/registry")
        let trainer = try await RunningTrainer.start(directory: directory, registryPort: registry.port, policy: .never)
        let client = try await trainer.client()
        func field(_ request: SubmitJobRequest) async -> (WireErrorCode?, String?) {
            do {
                _ = try await client.submit(request)
                return (nil, nil)
            } catch WireClientError.server(let code, _, let field) {
                return (code, field)
            } catch {
                return (nil, "\(error)")
            }
        }
        #expect(
            await field(SubmitJobRequest(dataset: "bank", options: ["epochs": .integer(0)])) == (
                .invalidRequest, "options.epochs"
            ))
        #expect(
            await field(SubmitJobRequest(dataset: "bank", options: ["epoch": .integer(3)])) == (
                .invalidRequest, "options.epoch"
            ))
        #expect(await field(SubmitJobRequest(dataset: "bad name")) == (.invalidRequest, "dataset"))
        #expect(await field(SubmitJobRequest(dataset: "bank@xyz1")) == (.invalidRequest, "dataset"))
        #expect(await field(SubmitJobRequest(dataset: "bank", modelName: "")) == (.invalidRequest, "model_name"))
        await #expect(throws: WireClientError.server(code: .notFound, message: "no job 99", field: "id")) {
            try await client.status(99)
        }
        await #expect(throws: WireClientError.server(code: .notFound, message: "no job 99", field: "id")) {
            try await client.cancel(99)
        }
        #expect(try await client.list().isEmpty, "refused requests store nothing")

        let missing = try await finished(
            client, try await client.submit(SubmitJobRequest(dataset: "nosuch", options: try options(epochs: 1))).id)
        #expect(missing.state == .failed)
        #expect(missing.error?.contains("not found") == true, "\(missing.error ?? "")")

        let registryClient = try await RegistryClient.connect(host: "127.0.0.1", port: registry.port)
        _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 2000, seed: 2), name: "bank")
        let slow = try await client.submit(SubmitJobRequest(dataset: "bank", options: try options(epochs: 100_000)))
        var sawProgress = false
        for try await event in client.watch(job: slow.id) {
            if case .progress = event, !sawProgress {
                sawProgress = true
                _ = try await client.cancel(slow.id)
            }
        }
        let cancelled = try await client.status(slow.id)
        #expect(sawProgress)
        #expect(cancelled.state == .cancelled)
        #expect((cancelled.progress?.epoch ?? 0) < 100_000)
        #expect(
            try await registryClient.call(ModelListRequest()).models?.isEmpty == true,
            "a cancelled job publishes nothing")

        let next = try await finished(
            client, try await client.submit(SubmitJobRequest(dataset: "bank", options: try options(epochs: 1))).id)
        #expect(next.state == .succeeded)
        #expect(next.result?.promotion?.promoted == false, "policy never")
        #expect(try await registryClient.model("churn").version.aliases.isEmpty)

        await client.close()
        await registryClient.close()
        try await trainer.server.stop()
        try await registry.stop()
    }
}
