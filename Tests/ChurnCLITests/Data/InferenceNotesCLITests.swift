import Foundation
import Testing

/// `churn train` never drops or retypes a column silently: the reference file with one typo is refused
/// with the place named, a declared policy trains with a warning, and every dropped or reinterpreted
/// column is printed on standard error, in `--json` and by `inspect`.
@Suite("CLI inference notes", .serialized)
struct InferenceNotesCLITests {
    /// The reference dataset, `../shared/datasets/Churn_Modelling.csv` from the package root.
    static let dataset = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/datasets/Churn_Modelling.csv").standardizedFileURL.path

    let directory: URL

    init() throws {
        directory = try ChurnProcess.temporaryDirectory()
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The reference file with `six-hundred` as CreditScore on line 7 (where it is 645).
    private func typoFile() throws -> String {
        var lines = try String(contentsOfFile: Self.dataset, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(lines[6].hasPrefix("6,15574012,Chu,645,"))
        lines[6] = lines[6].replacingOccurrences(of: ",Chu,645,", with: ",Chu,six-hundred,")
        return try write("typo.csv", lines.joined(separator: "\r\n"))
    }

    private func noCrash(_ result: ChurnProcess.Result) {
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "SIGILL", "SIGSEGV"] {
            #expect(!result.stderr.contains(marker))
        }
        #expect(result.status < 128)
    }

    @Test(
        "one typo in CreditScore: refused with file, line, column, value; with \"invalid\": \"missing\" it trains and warns with the count",
        .enabled(if: FileManager.default.fileExists(atPath: InferenceNotesCLITests.dataset)))
    func typo() throws {
        let data = try typoFile()
        let model = directory.appendingPathComponent("typo.churn").path
        let refused = try ChurnProcess.run(["train", data, "--out", model, "--epochs", "1"])
        #expect(refused.status != 0)
        noCrash(refused)
        #expect(
            refused.stderr.contains(
                "typo.csv:7: column \"CreditScore\": \"six-hundred\" is not a number; the column's other 9,999 values are numbers"
            ))
        #expect(refused.stderr.contains("\"invalid\": \"missing\""))
        #expect(!FileManager.default.fileExists(atPath: model))

        let schema = try write(
            "schema.json", #"{"columns": {"CreditScore": {"role": "numeric", "invalid": "missing"}}}"#)
        let trained = try ChurnProcess.run([
            "train", data, "--out", model, "--epochs", "1", "--schema", schema, "--json",
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let warning =
            "CreditScore: 1 value is not a number (line 7 \"six-hundred\"); read as missing and imputed with the training median (\"invalid\": \"missing\" in \(schema))"
        let stderrLines = trained.stderr.split(separator: "\n").map(String.init)
        #expect(stderrLines.contains(warning))
        #expect(
            stderrLines.contains("Surname: 2,933 distinct texts in 10,000 rows (more than 100 levels) -> id, not used"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
        #expect(summary["warnings"] as? [String] == [warning])
        #expect((summary["notes"] as? [String])?.count == 3)

        let inspected = try ChurnProcess.run(["inspect", model])
        #expect(inspected.status == 0)
        #expect(inspected.stdout.contains("non-numbers read as missing"))
        // The same file through evaluate: the model reads the typo as missing too.
        let evaluated = try ChurnProcess.run(["evaluate", model, data, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
    }

    /// 200 rows, one column per drop or reinterpretation reason.
    private func reasonsFile() throws -> String {
        var text = "RowNumber,CustomerId,name,empty,const,plan,flag,city,code,age,churn\n"
        for row in 0..<200 {
            let customer = 1000 + (row == 10 || row == 20 ? row - 1 : row)
            let code = row % 5 < 2 ? "A\(row % 3)" : String(row % 5)
            text +=
                "\(row + 1),\(customer),n\(row),,x,\(row % 2 + 1),\(row % 3 == 0 ? 1 : 0),c\(row % 120),\(code),\(20 + row % 40),\(row % 2)\n"
        }
        return try write("reasons.csv", text)
    }

    /// The notes for ``reasonsFile()``, worked out by hand.
    private let expectedNotes = [
        "RowNumber: 200 distinct whole numbers in 200 rows -> id, not used",
        "CustomerId: 198 distinct whole numbers in 200 rows (2 repeat earlier values), named like an id -> id, not used",
        "name: 200 distinct texts in 200 rows (all different) -> id, not used",
        "empty: all 200 values are missing -> id, not used",
        "const: one value (\"x\") in all 200 rows -> id, not used",
        "plan: two values (1 and 2), read as two categories -> binary",
        "city: 120 distinct texts in 200 rows (more than 100 levels) -> id, not used",
        "code: 80 of 200 values are not numbers (first: line 2 \"A0\") -> categorical",
        "age: role set in SCHEMA -> id, not used",
    ]

    @Test("each reason is one stderr line, in --json, and in inspect (text and --json); stdout is unchanged")
    func notes() throws {
        let data = try reasonsFile()
        let schema = try write("ids.json", #"{"columns": {"age": "id"}}"#)
        let expected = expectedNotes.map { $0.replacingOccurrences(of: "SCHEMA", with: schema) }
        let model = directory.appendingPathComponent("reasons.churn").path
        let plain = try ChurnProcess.run(["train", data, "--out", model, "--epochs", "1", "--schema", schema])
        #expect(plain.status == 0, "\(plain.stderr)")
        let lines = plain.stderr.split(separator: "\n").map(String.init).filter { expected.contains($0) }
        #expect(lines == expected)
        for note in expected { #expect(!plain.stdout.contains(note)) }
        #expect(plain.stdout.contains("wrote \(model)"))

        let json = try ChurnProcess.run(["train", data, "--out", model, "--epochs", "1", "--schema", schema, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(summary["notes"] as? [String] == expected)
        #expect(summary["warnings"] as? [String] == [])

        let inspected = try ChurnProcess.run(["inspect", model])
        #expect(inspected.status == 0)
        for note in expected { #expect(inspected.stdout.contains("  \(note)"), "\(note)") }
        let inspectedJSON = try ChurnProcess.run(["inspect", model, "--json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(inspectedJSON.stdout.utf8)) as? [String: Any])
        let notes = try #require((object["schema"] as? [String: Any])?["notes"] as? [[String: Any]])
        #expect(notes.count == expected.count)
        #expect(notes.first?["column"] as? String == "RowNumber")
        #expect(notes.first?["reason"] as? String == "200 distinct whole numbers in 200 rows")
        #expect(notes.first?["role"] as? String == "id")
    }
}
