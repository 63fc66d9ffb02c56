import ChurnML
import Foundation
import Testing

@testable import Trainer

@Suite("Trainer job store")
struct JobStoreTests {
    private func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("jobs.sqlite").path
    }

    @Test("jobs survive reopening; interrupted ones are re-queued, then failed after too many attempts")
    func recovery() throws {
        let path = try temporaryPath()
        var configuration = TrainingConfiguration()
        configuration.seed = 7
        do {
            let store = try JobStore(path: path)
            var first = try store.insert(
                TrainingJob(dataset: "bank", modelName: "bank", configuration: configuration, submittedMillis: 1))
            let second = try store.insert(
                TrainingJob(dataset: "bank@ab12", modelName: "b2", configuration: configuration, submittedMillis: 2))
            #expect(first.id == 1 && second.id == 2)
            first.state = .running
            first.attempts = 1
            try store.update(first)
            try store.setSetting("registry.sequence", "42")
        }
        // "Crash": reopen the file.
        let store = try JobStore(path: path)
        #expect(try store.setting("registry.sequence") == "42")
        let queued = try store.recoverInterrupted(maxAttempts: 2, nowMillis: 10)
        #expect(queued.map(\.id) == [1, 2])
        #expect(queued[0].notes.count == 1)
        #expect(queued[0].configuration.seed == 7)
        // Interrupted again at its second attempt: now it fails with the reason, and is not lost.
        var again = queued[0]
        again.state = .running
        again.attempts = 2
        try store.update(again)
        let remaining = try store.recoverInterrupted(maxAttempts: 2, nowMillis: 20)
        #expect(remaining.map(\.id) == [2])
        let failed = try #require(try store.job(1))
        #expect(failed.state == .failed)
        #expect(failed.error?.contains("stopped") == true)
        #expect(try store.jobs(states: [.failed]).map(\.id) == [1])
        #expect(try store.jobs().map(\.id) == [2, 1])
    }

    @Test("a job trains exactly like churn train: same data and seed give identical metrics and bundle")
    func executorMatchesOffline() throws {
        let bytes = SyntheticBankData.csv(rows: 1500, seed: 3)
        var configuration = TrainingConfiguration()
        configuration.epochs = 3
        configuration.seed = 11
        let job = try JobExecutor.run(datasetBytes: bytes, source: "bank", configuration: configuration, target: nil)
        let table = try CSVReader.parse(bytes, source: "bank")
        let offline = try ModelTrainer.train(
            table: table, schema: try SchemaInference.infer(table, target: nil, overrides: nil),
            configuration: configuration,
            dataset: DatasetIdentity(sha256: SHA256Digest.hex(of: bytes), source: "bank"),
            created: try BundleCodec.decode(job.bundle).lineage.created)
        #expect(job.outcome.testMetrics == offline.testMetrics)
        #expect(job.bundle == (try BundleCodec.encode(offline.bundle)))
        #expect(job.datasetSHA256 == SHA256Digest.hex(of: bytes))
        #expect(throws: DataError.self) {
            try JobExecutor.run(
                datasetBytes: Array("a,b\n1\n".utf8), source: "broken", configuration: configuration, target: nil)
        }
    }
}
