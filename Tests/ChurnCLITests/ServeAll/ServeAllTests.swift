import Foundation
import Testing

/// `churn serve all` as the README's main command runs it: first start pushes the sample, trains,
/// promotes and serves; predictions over RPC equal offline ones for the served bundle; a restart
/// keeps everything and pushes nothing again; SIGTERM stops it promptly.
@Suite("serve all", .serialized)
struct ServeAllTests {
    static let row =
        #"{"CreditScore":619,"Geography":"France","Gender":"Female","Age":42,"Tenure":2,"Balance":0,"NumOfProducts":1,"HasCrCard":1,"IsActiveMember":1,"EstimatedSalary":101348.88}"#

    /// The probability printed by `churn predict … --json` for one row.
    static func probability(_ arguments: [String]) throws -> Double {
        let result = try ChurnProcess.run(arguments + ["--row", row, "--json"])
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let predictions = try #require(object?["predictions"] as? [[String: Any]])
        return try #require(predictions.first?["probability"] as? Double)
    }

    @Test func firstStartTrainsAndServesRestartKeepsState() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataDir = directory.appendingPathComponent("state").path

        let first = try ServeAllProcess(dataDir: dataDir)
        #expect(first.output.contains("pushed sample dataset churn (10000 rows"))
        #expect(first.output.contains("ready: model churn version 1 serving"))
        let registry = ServeAllProcess.address(first.registryPort)

        // The served model is the registry's churn@production; offline scoring of that bundle agrees.
        let served = try Self.probability(["predict", "--predictor", ServeAllProcess.address(first.predictorPort)])
        let bundle = directory.appendingPathComponent("production.bundle").path
        let fetch = try ChurnProcess.run([
            "models", "fetch", "churn@production", "--out", bundle, "--registry", registry,
        ])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        #expect(try Self.probability(["predict", bundle]) == served)
        #expect(served > 0 && served < 1)

        // One auto-trained job, succeeded and promoted.
        let jobs = try ChurnProcess.run([
            "jobs", "ls", "--trainer", ServeAllProcess.address(first.trainerPort), "--json",
        ])
        #expect(jobs.status == 0)
        #expect(jobs.stdout.contains("\"succeeded\"") && !jobs.stdout.contains("\"failed\""))

        let stopped = first.stop()
        #expect(stopped.status == 0)
        #expect(stopped.seconds < 5, "SIGTERM took \(stopped.seconds) s")

        // Second start on the same state: no new sample, the same model serves at once.
        let second = try ServeAllProcess(dataDir: dataDir)
        #expect(!second.output.contains("pushed sample"))
        #expect(second.output.contains("ready: model churn version 1 serving"))
        #expect(
            try Self.probability(["predict", "--predictor", ServeAllProcess.address(second.predictorPort)]) == served)
        let datasets = try ChurnProcess.run([
            "datasets", "ls", "--registry", ServeAllProcess.address(second.registryPort), "--json",
        ])
        #expect(datasets.stdout.components(separatedBy: "\"sha256\"").count == 2, "\(datasets.stdout)")
        #expect(second.stop().status == 0)
    }
}
