import Foundation
import Testing

/// Datasets in spreadsheet dialects end to end: a `;`-separated file with decimal commas, pushed to a
/// real registry, is auto-trained by a real trainer into the same model as the comma file.
@Suite("Dataset dialects through the registry and trainer", .serialized)
struct DialectPushTests {
    /// The reference dataset re-exported with `;` and decimal commas (no field of it is quoted).
    static func semicolonCopy(at path: String) throws {
        let text = try String(contentsOfFile: TrainerCLITests.dataset, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n").map { line in
            line.components(separatedBy: ",").map { $0.replacingOccurrences(of: ".", with: ",") }.joined(separator: ";")
        }
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The tensor bytes of a bundle file: everything after the safetensors header (the header's
    /// metadata names the dataset, which differs between the two pushes).
    static func tensorBytes(_ path: String) throws -> [UInt8] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        try #require(bytes.count >= 8)
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        try #require(8 + headerLength <= bytes.count)
        return Array(bytes[(8 + headerLength)...])
    }

    /// The state job `id` ends in (`succeeded`, `failed`, `cancelled`), or the last one seen after 180 s.
    static func finalState(ofJob id: Int, trainer: String) throws -> String {
        let deadline = Date().addingTimeInterval(180)
        var state = ""
        while Date() < deadline {
            let shown = try ChurnProcess.run(["jobs", "show", "\(id)", "--json", "--trainer", trainer])
            let record = try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            state = record?["state"] as? String ?? ""
            if ["succeeded", "failed", "cancelled"].contains(state) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return state
    }

    @Test("datasets push of a `;` file with decimal commas auto-trains the comma file's model")
    func semicolonPushTrainsTheSameModel() throws {
        try #require(
            FileManager.default.fileExists(atPath: TrainerCLITests.dataset), "the reference dataset is missing")
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let semicolon = directory.appendingPathComponent("customers-semicolon.csv").path
        try Self.semicolonCopy(at: semicolon)
        let registry = try RegistryProcess(dataDirectory: directory.appendingPathComponent("registry").path)
        defer { registry.stop() }
        let trainer = try ServerProcess(
            role: "trainer",
            extra: [
                "--registry", registry.address, "--data-dir", directory.appendingPathComponent("trainer").path,
                "--log-level", "error",
                "--auto-train", "churn-data", "--promote", "always", "--epochs", "5", "--seed", "3",
            ])
        defer { trainer.stop() }

        var models: [String] = []
        for (version, file) in [(1, TrainerCLITests.dataset), (2, semicolon)] {
            let push = try ChurnProcess.run([
                "datasets", "push", file, "--name", "churn-data", "--registry", registry.address,
            ])
            #expect(push.status == 0, "\(push.stderr)")
            #expect(
                try Self.finalState(ofJob: version, trainer: trainer.address) == "succeeded",
                "job \(version) of \(file)")
            let model = directory.appendingPathComponent("churn-\(version).model").path
            let fetch = try ChurnProcess.run([
                "models", "fetch", "churn@\(version)", "--out", model, "--registry", registry.address,
            ])
            #expect(fetch.status == 0, "\(fetch.stderr)")
            models.append(model)
        }
        #expect(try Self.tensorBytes(models[0]) == Self.tensorBytes(models[1]), "the weights differ")
        let metrics = try models.map { model -> [String: Double] in
            let shown = try ChurnProcess.run(["inspect", model, "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            return (object?["metrics"] as? [String: Any])?.compactMapValues { $0 as? Double } ?? [:]
        }
        #expect(metrics[0]["roc_auc"] != nil)
        #expect(metrics[0] == metrics[1])
    }

    @Test(
        "datasets push --delimiter: recorded as forced, used again by the trainer; a wrong one is the reader's own error"
    )
    func forcedDelimiterPush() throws {
        try #require(
            FileManager.default.fileExists(atPath: TrainerCLITests.dataset), "the reference dataset is missing")
        let directory = try ChurnProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let semicolon = directory.appendingPathComponent("customers-semicolon.csv").path
        try Self.semicolonCopy(at: semicolon)
        let registry = try RegistryProcess(dataDirectory: directory.appendingPathComponent("registry").path)
        defer { registry.stop() }

        // Forcing the comma on a `;` file with decimal commas: the registry refuses it with the reader's error.
        let wrong = try ChurnProcess.run([
            "datasets", "push", semicolon, "--name", "forced", "--delimiter", ",", "--registry", registry.address,
        ])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("forced:2: "), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("expected 1 fields, found 2"), "\(wrong.stderr)")
        let bad = try ChurnProcess.run([
            "datasets", "push", semicolon, "--name", "forced", "--delimiter", "x", "--registry", registry.address,
        ])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--delimiter 'x' is not one of"), "\(bad.stderr)")

        // Forcing the right one: the trainer reads the dataset again with it and trains.
        let trainer = try ServerProcess(
            role: "trainer",
            extra: [
                "--registry", registry.address, "--data-dir", directory.appendingPathComponent("trainer").path,
                "--log-level", "error",
                "--auto-train", "semi", "--epochs", "2", "--seed", "3",
            ])
        defer { trainer.stop() }
        let push = try ChurnProcess.run([
            "datasets", "push", semicolon, "--name", "semi", "--delimiter", ";", "--json", "--registry",
            registry.address,
        ])
        #expect(push.status == 0, "\(push.stderr)")
        let record = try JSONSerialization.jsonObject(with: Data(push.stdout.utf8)) as? [String: Any]
        let dialect =
            try JSONSerialization.jsonObject(with: Data((record?["dialect"] as? String ?? "{}").utf8)) as? [String: Any]
        #expect(dialect?["delimiter"] as? String == ";")
        #expect(dialect?["decimal_mark"] as? String == ",")
        #expect(dialect?["delimiter_detected"] as? Bool == false)
        #expect(try Self.finalState(ofJob: 1, trainer: trainer.address) == "succeeded")
    }
}
