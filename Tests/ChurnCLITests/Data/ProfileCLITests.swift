import Foundation
import Testing

/// `churn profile` end to end.
@Suite("CLI profile", .serialized)
struct ProfileCLITests {
    let directory: URL

    init() throws {
        directory = try ChurnProcess.temporaryDirectory()
    }

    @Test(
        "the reference file: rows, balance, dropped columns with reasons, no leakage; --json decodes",
        .enabled(if: FileManager.default.fileExists(atPath: InferenceNotesCLITests.dataset)))
    func reference() throws {
        let text = try ChurnProcess.run(["profile", InferenceNotesCLITests.dataset])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("10,000 rows, 14 columns"))
        // 2,037 positives, counted with Python's csv module.
        #expect(text.stdout.contains("\"1\" (churned) in 2,037 rows (20.4%), \"0\" in 7,963"))
        #expect(text.stdout.contains("  - RowNumber: 10,000 distinct whole numbers in 10,000 rows -> id, not used"))
        #expect(!text.stdout.contains("suspected leakage"))

        let json = try ChurnProcess.run(["profile", InferenceNotesCLITests.dataset, "--json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 10_000)
        #expect((object["target"] as? [String: Any])?["positives"] as? Int == 2_037)
        #expect((object["leakage"] as? [Any])?.isEmpty == true)
        let columns = try #require(object["columns"] as? [[String: Any]])
        let dropped = columns.filter { $0["dropped"] as? Bool == true }.compactMap { $0["name"] as? String }
        #expect(dropped == ["RowNumber", "CustomerId", "Surname"])
    }

    @Test("a constructed file: typo, leakage, duplicate ids and a constant column are flagged; exit 0")
    func problems() throws {
        var text = "CustomerId,age,plan,const,leak,Exited\n"
        for row in 0..<40 {
            let id = row == 7 || row == 9 ? 102 : 100 + row
            let age = row == 5 ? "forty" : String(20 + (row * 7) % 30)
            let exited = row % 3 == 0
            text +=
                "\(id),\(age),\(["basic", "pro", "team", "max"][row % 4]),same,\(exited ? "Y" : "N"),\(exited ? 1 : 0)\n"
        }
        let path = directory.appendingPathComponent("problems.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let result = try ChurnProcess.run(["profile", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("age: 1 value is not a number (line 7 \"forty\")"))
        #expect(result.stdout.contains("leak: alone predicts Exited with ROC-AUC 1.000"))
        #expect(result.stdout.contains("CustomerId: 2 rows repeat an earlier id (102 on lines 4, 9, 11)"))
        #expect(result.stdout.contains("const: one value (\"same\") in all 40 rows -> id, not used"))
        let help = try ChurnProcess.run(["profile", "--help"])
        #expect(help.stdout.contains("--target"))
        #expect(help.stdout.contains("leakage"))
        let missing = try ChurnProcess.run(["profile", directory.appendingPathComponent("absent.csv").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("absent.csv"))
    }
}
