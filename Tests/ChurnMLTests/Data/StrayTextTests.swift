import Foundation
import Testing

@testable import ChurnML

/// A numeric column with a few stray texts is an error (or, declared, read as missing) — never
/// silently retyped as text and dropped.
@Suite("Stray text in numeric columns")
struct StrayTextTests {
    typealias S = DataTestSupport

    /// A table with `rows` rows: `score` holds the row number, except that the rows in `strays` hold
    /// `x<row>`; `churn` alternates 0/1. Line numbers are row + 2 (after the header).
    private func table(rows: Int, strays: Set<Int>) throws -> Table {
        var text = "score,churn\n"
        for row in 0..<rows {
            // Numbers repeat (row % 50) so the column is a feature, not an id.
            text += (strays.contains(row) ? "x\(row)" : String(row % 50)) + ",\(row % 2)\n"
        }
        return try S.table(text)
    }

    /// The rule's edges, worked by hand: limit max(20, n/100) and at most 10%.
    @Test("\"a few\": 100 of 10,000 and 10 of 100 are few; 101 and 11 are not; 20 of 200 (10%) but 21 of 210 not")
    func fewRule() {
        #expect(TextNumberScan.isFew(100, of: 10_000))
        #expect(!TextNumberScan.isFew(101, of: 10_000))
        #expect(TextNumberScan.isFew(10, of: 100))
        #expect(!TextNumberScan.isFew(11, of: 100))
        #expect(TextNumberScan.isFew(20, of: 200))
        #expect(!TextNumberScan.isFew(21, of: 210))  // 21 > max(20, 2)
        #expect(!TextNumberScan.isFew(0, of: 100))
        #expect(TextNumberScan.isFew(1, of: 10))
        #expect(!TextNumberScan.isFew(1, of: 9))  // 10 > 9: more than 10%
    }

    @Test("10,000 values: 100 strays are an error naming the first; 101 make a text column, noted")
    func edgesLarge() throws {
        let hundred = Set((0..<100).map { $0 * 97 + 3 })
        let error = S.dataError {
            _ = try SchemaInference.prepare(try table(rows: 10_000, strays: hundred), target: nil, overrides: nil)
        }
        #expect(error?.line == 5)  // row 3 is line 5
        #expect(error?.column == "score")
        #expect(error?.value == "x3")
        #expect(
            error?.reason.contains(
                "9,900 of the column's other 9,999 values are numbers (99 more non-numbers: line 102 \"x100\"") == true)
        let more = hundred.union([9_999])
        let prepared = try SchemaInference.prepare(try table(rows: 10_000, strays: more), target: nil, overrides: nil)
        // 50 numbers plus 101 strays = 151 distinct texts (> 100): an id, with the count of non-numbers.
        #expect(prepared.schema.role(of: "score") == .id)
        #expect(
            prepared.notes.map(\.description) == [
                "score: 101 of 10,000 values are not numbers (first: line 5 \"x3\"); 151 distinct texts in 10,000 rows (more than 100 levels) -> id, not used"
            ])
    }

    @Test("100 values: 10 strays are an error; 11 make a categorical text column, noted")
    func edgesSmall() throws {
        let ten = Set(0..<10)
        let error = S.dataError {
            _ = try SchemaInference.prepare(try table(rows: 100, strays: ten), target: nil, overrides: nil)
        }
        #expect(error?.line == 2)
        #expect(error?.value == "x0")
        #expect(
            error?.reason.contains(
                "90 of the column's other 99 values are numbers (9 more non-numbers: line 3 \"x1\", line 4 \"x2\", line 5 \"x3\", line 6 \"x4\", ...)"
            ) == true)
        // 11 strays (rows 0-10): the other rows hold all 50 numbers 0..49, so 61 distinct texts (> 50, > 5%): an id.
        let prepared = try SchemaInference.prepare(
            try table(rows: 100, strays: Set(0..<11)), target: nil, overrides: nil)
        #expect(prepared.schema.role(of: "score") == .id)
        #expect(
            prepared.notes.first?.reason.hasPrefix("11 of 100 values are not numbers (first: line 2 \"x0\")") == true)
    }

    /// The reference file with `six-hundred` as CreditScore on line 7 (RowNumber 6, whose score is 645).
    static func typoTable() throws -> Table {
        let text = try String(contentsOfFile: S.realDatasetPath, encoding: .utf8)
        var lines = text.components(separatedBy: "\r\n")
        #expect(lines[6].hasPrefix("6,15574012,Chu,645,"))
        lines[6] = lines[6].replacingOccurrences(of: ",Chu,645,", with: ",Chu,six-hundred,")
        return try CSVReader.parse(Array(lines.joined(separator: "\r\n").utf8), source: "typo.csv")
    }

    @Test(
        "the typo in the reference file is an error naming file, line, column, value and the other 9,999 values",
        .enabled(if: DataTestSupport.hasRealDataset))
    func referenceTypo() throws {
        let table = try Self.typoTable()
        let error = S.dataError { _ = try SchemaInference.prepare(table, target: nil, overrides: nil) }
        #expect(
            error?.description.hasPrefix(
                "typo.csv:7: column \"CreditScore\": \"six-hundred\" is not a number; the column's other 9,999 values are numbers. Fix the file, or declare the column in --schema, e.g. {\"columns\": {\"CreditScore\": {\"role\": \"numeric\", \"invalid\": \"missing\"}}}, to read non-numbers as missing"
            ) == true)
        // `infer` refuses it too (it is the same inference).
        #expect(throws: DataError.self) { _ = try SchemaInference.infer(table, target: nil, overrides: nil) }
    }

    @Test(
        "declared invalid: missing, the typo becomes a missing value imputed with the median of the other 9,999",
        .enabled(if: DataTestSupport.hasRealDataset))
    func referenceTypoAsMissing() throws {
        let table = try Self.typoTable()
        let overrides = SchemaOverrides(
            columns: ["CreditScore": .numeric], invalid: ["CreditScore": .missing], source: "schema.json")
        let prepared = try SchemaInference.prepare(table, target: nil, overrides: overrides)
        #expect(
            prepared.warnings == [
                "CreditScore: 1 value is not a number (line 7 \"six-hundred\"); read as missing and imputed with the training median (\"invalid\": \"missing\" in schema.json)"
            ])
        #expect(
            prepared.schema.columns.first { $0.name == "CreditScore" }
                == ColumnSchema(name: "CreditScore", role: .numeric, invalid: .missing))
        let scores = S.numbers(prepared.table.column(named: "CreditScore"))
        #expect(scores.count == 10_000)
        #expect(scores[5] == nil)
        #expect(scores[6] == 822)  // line 8 of the file
        // The median of the other values, by a naive sort of the file's fields.
        let text = try String(contentsOfFile: S.realDatasetPath, encoding: .utf8)
        var others: [Double] = []
        for (index, line) in text.components(separatedBy: "\r\n").enumerated()
        where index > 0 && index != 6 && !line.isEmpty {
            others.append(Double(line.split(separator: ",")[3]) ?? -1)
        }
        others.sort()
        #expect(others.count == 9_999)
        let median = others[others.count / 2]
        let pipeline = try FeaturePipeline.fit(prepared.table, schema: prepared.schema)
        let encoder = try #require(pipeline.encoders.first { $0.column == "CreditScore" })
        #expect(encoder.numericFill == median)
        #expect(encoder.invalid == .missing)
    }

    @Test("a schema file declaring a text column numeric without the policy names the first non-number and the count")
    func declaredNumericWithoutPolicy() throws {
        let table = try S.table("n,plan,churn\n1,a,0\n2,3,1\n3,b,0\n")
        let error = S.dataError {
            _ = try SchemaInference.prepare(
                table, target: nil, overrides: SchemaOverrides(columns: ["plan": .numeric], source: "s.json"))
        }
        #expect(error?.line == 2)
        #expect(error?.value == "a")
        #expect(
            error?.reason.contains("s.json gives the column role \"numeric\" (2 of its 3 values are not numbers)")
                == true)
        #expect(error?.reason.contains("\"invalid\": \"missing\"") == true)
    }

    @Test("a decimal-comma file: 1,5 counts as a number, so one stray among ten is an error; declared, it is missing")
    func decimalComma() throws {
        var values: [String?] = (0..<9).map { "\($0),5" }
        values.append("n/a?")
        let dialect = CSVDialect(delimiter: 0x3B, decimalMark: 0x2C)
        let table = Table(
            source: "semi.csv", columnNames: ["amount", "churn"],
            columns: [.text(values), .numeric((0..<10).map { Double($0 % 2) })], lineNumbers: Array(2..<12),
            dialect: dialect)
        let error = S.dataError { _ = try SchemaInference.prepare(table, target: nil, overrides: nil) }
        #expect(error?.line == 11)
        #expect(error?.value == "n/a?")
        let overrides = SchemaOverrides(columns: ["amount": .numeric], invalid: ["amount": .missing])
        let prepared = try SchemaInference.prepare(table, target: nil, overrides: overrides)
        #expect(
            S.numbers(prepared.table.column(named: "amount")) == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, nil])
        // Without the dialect, 0,5 is text: ten different texts, an id.
        var plain = table
        plain.dialect = nil
        #expect(try SchemaInference.prepare(plain, target: nil, overrides: nil).schema.role(of: "amount") == .id)
    }

    @Test("prediction: text in a numeric column names line, column and value; under invalid: missing it is the median")
    func predictionTime() throws {
        let training = try S.table("age,churn\n20,0\n30,1\n40,0\n50,1\n60,0\n")
        let schema = Schema(
            columns: [ColumnSchema(name: "age", role: .numeric), ColumnSchema(name: "churn", role: .target)],
            target: "churn",
            positiveLabel: "1")
        let pipeline = try FeaturePipeline.fit(training, schema: schema)
        let rows = try S.table("age,churn\n25,0\nforty,1\n")
        let error = S.dataError { _ = try pipeline.transform(rows) }
        #expect(error?.line == 3)
        #expect(error?.column == "age")
        #expect(error?.value == "forty")
        #expect(error?.reason.contains("not a number") == true)

        var lenient = schema
        lenient.columns[0].invalid = .missing
        let lenientPipeline = try FeaturePipeline.fit(training, schema: lenient)
        let encoded = try lenientPipeline.transform(rows)
        // Median 40, mean 40, population sd sqrt(200): "forty" becomes 40 -> (40 - 40) / sd = 0; 25 -> -15 / sqrt(200).
        let values = encoded.features.storage
        #expect(values[1] == 0)
        #expect(abs(Double(values[0]) - (-15 / 200.0.squareRoot())) < 1e-6)
    }

    @Test("fitting a numeric encoder on a text column names the first non-number and its line")
    func fitError() throws {
        let table = try S.table("age,churn\n20,0\n30,1\nold,0\n")
        let schema = Schema(
            columns: [ColumnSchema(name: "age", role: .numeric), ColumnSchema(name: "churn", role: .target)],
            target: "churn", positiveLabel: "1")
        let error = S.dataError { _ = try FeaturePipeline.fit(table, schema: schema) }
        #expect(error?.line == 4)
        #expect(error?.value == "old")
        #expect(error?.column == "age")
    }
}
