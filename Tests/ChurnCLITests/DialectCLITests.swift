import Foundation
import Testing

/// The commands that read tables take any dialect the reader detects, and `--delimiter` to force one.
@Suite("CLI CSV dialects", .serialized)
struct DialectCLITests {
    let directory: URL

    init() throws {
        directory = try ChurnProcess.temporaryDirectory()
    }

    /// 300 synthetic customers (`churn synth`), as comma text.
    private func synthetic() throws -> String {
        let path = directory.appendingPathComponent("synth.csv").path
        let result = try ChurnProcess.run(["synth", "--rows", "300", "--seed", "4", "--out", path])
        #expect(result.status == 0, "\(result.stderr)")
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Writes `bytes` to `name` in the test directory.
    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The comma text with `delimiter`, numbers with a decimal comma when `decimalComma` (synth writes no
    /// quoted fields and no commas inside fields).
    private func reexport(_ text: String, delimiter: String, decimalComma: Bool) -> [UInt8] {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false)
                .map { decimalComma ? $0.replacingOccurrences(of: ".", with: ",") : String($0) }.joined(
                    separator: delimiter)
        }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// `bytes` gzipped by the system's gzip.
    private func gzip(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try write(name, bytes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", "-n", path]
        try process.run()
        process.waitUntilExit()
        try FileManager.default.moveItem(atPath: path + ".gz", toPath: path)
        return path
    }

    /// The probabilities `churn predict MODEL --input FILE --json` prints.
    private func probabilities(_ model: String, _ input: String, _ extra: [String] = []) throws -> [Double] {
        let result = try ChurnProcess.run(["predict", model, "--input", input, "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let predictions = object?["predictions"] as? [[String: Any]] ?? []
        return predictions.compactMap { $0["probability"] as? Double }
    }

    @Test("train, predict, evaluate and score read `;`+decimal comma, tab, pipe and gzip files like the comma file")
    func everyCommandReadsEveryDialect() throws {
        let text = try synthetic()
        let comma = try write("comma.csv", Array(text.utf8))
        let variants = [
            try write("semicolon.csv", reexport(text, delimiter: ";", decimalComma: true)),
            try write("tab.tsv", reexport(text, delimiter: "\t", decimalComma: false)),
            try write("pipe.txt", reexport(text, delimiter: "|", decimalComma: false)),
            try gzip("comma.csv.gz", Array(text.utf8)),
        ]
        let model = directory.appendingPathComponent("m.model").path
        let trained = try ChurnProcess.run(["train", comma, "--out", model, "--epochs", "3", "--seed", "1", "--json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let expected = try probabilities(model, comma)
        #expect(expected.count == 300)
        let evaluation = try ChurnProcess.run(["evaluate", model, comma, "--json"]).stdout
        for file in variants {
            #expect(try probabilities(model, file) == expected, "\(file)")
            #expect(try ChurnProcess.run(["evaluate", model, file, "--json"]).stdout == evaluation, "\(file)")
            let ranked = directory.appendingPathComponent("ranked.csv").path
            let score = try ChurnProcess.run(["score", model, file, "--out", ranked, "--factors", "0"])
            #expect(score.status == 0, "\(file): \(score.stderr)")
            let other = directory.appendingPathComponent("other.model").path
            let retrained = try ChurnProcess.run([
                "train", file, "--out", other, "--epochs", "3", "--seed", "1", "--json",
            ])
            let summary = try JSONSerialization.jsonObject(with: Data(retrained.stdout.utf8)) as? [String: Any]
            let reference = try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any]
            #expect((summary?["test"] as? NSDictionary) == (reference?["test"] as? NSDictionary), "\(file)")
        }
        // A forced delimiter reads the same file the same way.
        #expect(try probabilities(model, variants[1], ["--delimiter", "tab"]) == expected)
    }

    @Test("--delimiter: a bad value is refused; forcing the wrong one gives the reader's own error")
    func forcedDelimiter() throws {
        let text = try synthetic()
        let semicolon = try write("semicolon.csv", reexport(text, delimiter: ";", decimalComma: false))
        let bad = try ChurnProcess.run(["train", semicolon, "--out", "x.model", "--delimiter", "x"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--delimiter 'x' is not one of , ; tab |"), "\(bad.stderr)")
        let forced = try ChurnProcess.run([
            "train", semicolon, "--out", directory.appendingPathComponent("f.model").path, "--delimiter", ",",
        ])
        #expect(forced.status != 0)
        #expect(forced.stderr.contains("has no column that looks like the churn target"), "\(forced.stderr)")
        #expect(!forced.stderr.contains("Fatal error"))
        let read = try ChurnProcess.run(["bench", "read", semicolon, "--runs", "1", "--delimiter", "semicolon"])
        #expect(read.status == 0, "\(read.stderr)")
        #expect(read.stdout.contains("read 300 rows"), "\(read.stdout)")
    }
}
