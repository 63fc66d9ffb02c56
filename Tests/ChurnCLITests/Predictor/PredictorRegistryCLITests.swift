import Foundation
import Testing

/// `churn serve predictor --registry` as a user runs it: a registry process, a predictor process
/// following `churn@production`, and the CLI publishing, moving the alias and predicting.
@Suite("serve predictor --registry", .serialized)
struct PredictorRegistryCLITests {
    /// The `predictions` of `churn predict … --json` output and the `models` that answered.
    static func parse(_ output: String) -> (predictions: [[String: Double]], models: [String]?)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            let rows = object["predictions"] as? [[String: Any]]
        else { return nil }
        let predictions = rows.map { row in
            [
                "line": (row["line"] as? NSNumber)?.doubleValue ?? -1,
                "probability": (row["probability"] as? NSNumber)?.doubleValue ?? -1,
                "label": (row["label"] as? NSNumber)?.doubleValue ?? -1,
            ]
        }
        return (predictions, object["models"] as? [String])
    }

    /// Runs `churn predict --predictor ADDRESS --input CSV --json` until the answer comes from
    /// `model` (at most `seconds`); returns the parsed answer, nil if it never did.
    static func predictRemotely(_ address: String, csv: String, until model: String, seconds: Double = 10) throws
        -> [[String: Double]]?
    {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let result = try ChurnProcess.run(["predict", "--predictor", address, "--input", csv, "--json"])
            if result.status == 0, let parsed = parse(result.stdout), parsed.models == [model] {
                return parsed.predictions
            }
            Thread.sleep(forTimeInterval: 0.2)
        } while Date() < deadline
        return nil
    }

    @Test(
        "follows churn@production from before the first model to a moved alias; answers equal offline; models show lists it"
    )
    func followsTheRegistry() throws {
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try RegistryProcess(dataDirectory: directory.appendingPathComponent("data").path)
        defer { registry.stop() }
        let csv = directory.appendingPathComponent("bank.csv").path
        let first = directory.appendingPathComponent("first.bundle").path
        let second = directory.appendingPathComponent("second.bundle").path
        #expect(try ChurnProcess.run(["synth", "--rows", "400", "--seed", "5", "--out", csv]).status == 0)
        #expect(try ChurnProcess.run(["train", csv, "--out", first, "--epochs", "1", "--seed", "1"]).status == 0)
        #expect(try ChurnProcess.run(["train", csv, "--out", second, "--epochs", "2", "--seed", "2"]).status == 0)

        // Started before any model exists: it listens, says why it has none, and waits.
        let predictor = try ServerProcess(
            role: "predictor", extra: ["--registry", registry.address, "--log-level", "error"])
        let empty = try ChurnProcess.run(["health", "--addr", predictor.address])
        #expect(empty.status == 1)
        #expect(empty.stdout.contains("no model available"), "\(empty.stdout)")

        let published = try ChurnProcess.run([
            "models", "publish", first, "--name", "churn", "--alias", "production", "--registry", registry.address,
        ])
        #expect(published.status == 0, "\(published.stderr)")
        let remote1 = try Self.predictRemotely(predictor.address, csv: csv, until: "churn 1")
        let offline1 = Self.parse(try ChurnProcess.run(["predict", first, "--input", csv, "--json"]).stdout)
        #expect(remote1 != nil, "the predictor never served churn 1")
        #expect(remote1?.count == 400)
        #expect(remote1 == offline1?.predictions)

        // The registry lists the deployment: this predictor (HOSTNAME:PORT) serving version 1.
        var show = ""
        for _ in 0..<50 {
            show = try ChurnProcess.run(["models", "show", "churn", "--registry", registry.address]).stdout
            if show.contains(":\(predictor.port)") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let live = show.split(separator: "\n").first { $0.contains(":\(predictor.port)") }.map(String.init) ?? ""
        #expect(live.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first == "1", "\(show)")

        // A new version published onto production: followed without restart.
        #expect(
            try ChurnProcess.run([
                "models", "publish", second, "--name", "churn", "--alias", "production", "--registry", registry.address,
            ]).status == 0)
        let remote2 = try Self.predictRemotely(predictor.address, csv: csv, until: "churn 2")
        let offline2 = Self.parse(try ChurnProcess.run(["predict", second, "--input", csv, "--json"]).stdout)
        #expect(remote2 != nil, "the predictor never swapped to churn 2")
        #expect(remote2 == offline2?.predictions)
        #expect(
            offline1?.predictions != offline2?.predictions, "the two models must differ for this test to mean anything")
        #expect(try ChurnProcess.run(["health", "--addr", predictor.address]).status == 0)

        #expect(predictor.stop() == 0, "graceful shutdown on SIGTERM exits 0")
    }

    @Test("exactly one model source: --model-file and --registry are mutually exclusive, and the help says so")
    func oneModelSource() throws {
        let both = try ChurnProcess.run([
            "serve", "predictor", "--model-file", "m.bundle", "--registry", "127.0.0.1:7400",
        ])
        #expect(both.status != 0)
        #expect(both.stderr.contains("mutually exclusive"), "\(both.stderr)")
        let neither = try ChurnProcess.run(["serve", "predictor"])
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("--model-file PATH or --registry HOST:PORT"), "\(neither.stderr)")
        let misplaced = try ChurnProcess.run([
            "serve", "predictor", "--registry", "127.0.0.1:7400", "--poll-interval", "1",
        ])
        #expect(misplaced.status != 0)
        #expect(misplaced.stderr.contains("--model-file only"), "\(misplaced.stderr)")
        let help = try ChurnProcess.run(["serve", "predictor", "--help"])
        #expect(
            help.stdout.contains("--registry") && help.stdout.contains("--alias") && help.stdout.contains("--instance"))
        #expect(help.stdout.contains("exactly one model source"), "\(help.stdout)")
    }
}
