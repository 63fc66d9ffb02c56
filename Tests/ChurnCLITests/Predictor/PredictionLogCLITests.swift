import Foundation
import Testing

/// `serve predictor --log-dir` and `churn predictions log`, through real processes: what a client
/// was answered is what the log holds, and a kill -9 loses no entry the predictor counted as written.
@Suite("Prediction log CLI", .serialized)
struct PredictionLogCLITests {
    /// A directory with `customers.csv` (synthetic) and `model.churnmodel` trained on it.
    static func prepare() throws -> URL {
        let directory = try ChurnProcess.temporaryDirectory()
        let csv = directory.appendingPathComponent("customers.csv").path
        let model = directory.appendingPathComponent("model.churnmodel").path
        #expect(try ChurnProcess.run(["synth", "--rows", "400", "--seed", "4", "--out", csv]).status == 0)
        let train = try ChurnProcess.run(["train", csv, "--out", model, "--epochs", "2"])
        #expect(train.status == 0, "\(train.stderr)")
        return directory
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("the log holds each answered row: inputs (less the excluded ones), model, version, the probability answered")
    func logMatchesAnswers() throws {
        let directory = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("log").path
        let server = try ServerProcess(
            role: "predictor",
            extra: [
                "--model-file", directory.appendingPathComponent("model.churnmodel").path, "--log-dir", log,
                "--log-exclude", "EstimatedSalary",
            ])
        let input = directory.appendingPathComponent("five.csv")
        let lines = try String(contentsOf: directory.appendingPathComponent("customers.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(6)
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let predict = try ChurnProcess.run(["predict", "--predictor", server.address, "--input", input.path, "--json"])
        #expect(predict.status == 0, "\(predict.stderr)")
        #expect(server.stop() == 0)  // SIGTERM: the log is written before the process exits

        let answered = try #require(try JSONSerialization.jsonObject(with: Data(predict.stdout.utf8)) as? [String: Any])
        let predictions = try #require(answered["predictions"] as? [[String: Any]])
        let read = try ChurnProcess.run(["predictions", "log", log, "--json"])
        #expect(read.status == 0, "\(read.stderr)")
        let rows = try Self.jsonLines(read.stdout)
        #expect(rows.count == 5)
        #expect(Set(rows.compactMap { $0["request_id"] as? String }).count == 1, "one request of five rows")
        #expect(rows.compactMap { $0["row"] as? Int } == [0, 1, 2, 3, 4])
        for (row, prediction) in zip(rows, predictions) {
            let logged = try #require(row["probability"] as? Double)
            let probability = try #require(prediction["probability"] as? Double)
            #expect(Float(logged) == Float(probability))
        }
        #expect(rows.allSatisfy { $0["model"] as? String == "model" })
        let header = lines[0].split(separator: ",").map(String.init)
        let first = lines[1].split(separator: ",").map(String.init)
        let inputs = try #require(rows.first?["inputs"] as? [String: Any])
        #expect(inputs["EstimatedSalary"] == nil)
        let age = try #require(header.firstIndex(of: "Age"))
        #expect(inputs["Age"] as? Double == Double(first[age]))
        let geography = try #require(header.firstIndex(of: "Geography"))
        #expect(inputs["Geography"] as? String == first[geography])

        let table = try ChurnProcess.run(["predictions", "log", log, "--last", "2"])
        #expect(table.stdout.split(separator: "\n").count == 4, "heading, two rows, the count: \(table.stdout)")
        #expect(table.stdout.hasSuffix("1 entries in 1 segments\n"), "\(table.stdout)")
    }

    @Test("kill -9 while logging: every entry counted as written is readable, and no record is torn")
    func killNineKeepsWrittenEntries() async throws {
        let directory = try Self.prepare()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("log").path
        let server = try ServerProcess(
            role: "predictor",
            extra: ["--model-file", directory.appendingPathComponent("model.churnmodel").path, "--log-dir", log],
            metrics: true)
        let load = Process()
        load.executableURL = ChurnProcess.executable
        load.arguments = ["bench", "predict", "--addr", server.address, "--requests", "10000000", "--concurrency", "8"]
        load.standardOutput = FileHandle.nullDevice
        load.standardError = FileHandle.nullDevice
        try load.run()
        defer { if load.isRunning { load.terminate() } }

        var written = 0.0
        let deadline = ContinuousClock.now + .seconds(60)
        while written < 5000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            written = try await server.metric("predictor_log_written_total") ?? 0
        }
        #expect(written >= 5000, "the predictor wrote \(written) entries in 60 s")
        server.kill()
        load.waitUntilExit()

        let read = try ChurnProcess.run(["predictions", "log", log])
        #expect(read.status == 0, "a torn record: \(read.stderr)")
        let summary = try #require(read.stdout.split(separator: "\n").last)
        let entries = try #require(Int(summary.split(separator: " ").first ?? ""))
        #expect(Double(entries) >= written, "\(entries) readable, \(written) counted as written")
    }

    @Test("bad log options are refused with the option named")
    func badOptions() throws {
        let cases: [(arguments: [String], message: String)] = [
            (["--log-sample", "0.5"], "--log-sample, --log-retention and --log-exclude apply with --log-dir only"),
            (["--log-dir", "/tmp/x", "--log-sample", "0"], "--log-sample must be above 0 and at most 1"),
            (["--log-dir", "/tmp/x", "--log-retention", "90"], "--log-retention '90' is not a positive number"),
            (["--log-dir", "/tmp/x", "--log-exclude", "A,,B"], "--log-exclude 'A,,B' has an empty column name"),
        ]
        for (arguments, message) in cases {
            let result = try ChurnProcess.run(["serve", "predictor", "--model-file", "m.churnmodel"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let missing = try ChurnProcess.run(["predictions", "log", "/nonexistent/log"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no prediction log at '/nonexistent/log'"), "\(missing.stderr)")
    }
}
