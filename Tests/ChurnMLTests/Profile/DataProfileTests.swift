import Foundation
import Testing

@testable import ChurnML

@Suite("DataProfile")
struct DataProfileTests {
    typealias S = DataTestSupport

    @Test("single-column ROC-AUC, worked by hand: pairs won, ties half, missing rows left out, categories by rate")
    func singleColumnAUC() throws {
        // Positives 2 and 4, negatives 1 and 3: of 4 pairs the positive wins 3.
        #expect(SingleColumnAUC.numbers([1, 2, 3, 4, nil], labels: [0, 1, 0, 1, 1]) == 0.75)
        // Positive 1 ties negative 1 (1/2), positive 2 beats it: 1.5 of 2.
        #expect(SingleColumnAUC.numbers([1, 1, 2], labels: [0, 1, 1]) == 0.75)
        // Negatives 4 and 3 above positives 2 and 1: AUC 0, separation 1.
        let reversed = try #require(SingleColumnAUC.numbers([4, 3, 2, 1], labels: [0, 0, 1, 1]))
        #expect(reversed == 0)
        #expect(SingleColumnAUC.separation(reversed) == 1)
        // Rates a = 1/2, b = 2/3. Positives (a, b, b) against negatives (a, b):
        // a: tie a (0.5) + loses b (0) = 0.5; each b: beats a (1) + ties b (0.5) = 1.5; total 3.5 of 6.
        let categories = try #require(SingleColumnAUC.categories(["a", "a", "b", "b", "b"], labels: [1, 0, 1, 1, 0]))
        #expect(abs(categories - 7.0 / 12.0) < 1e-12)
        // Values that differ only beyond Float precision still rank apart.
        #expect(SingleColumnAUC.numbers([1e9, 1e9 + 1], labels: [0, 1]) == 1)
        #expect(SingleColumnAUC.numbers([1, 2], labels: [1, 1]) == nil)
    }

    @Test(
        "the reference file: 10,000 rows, 2,037 positives, three dropped columns, no leakage or duplicates",
        .enabled(if: DataTestSupport.hasRealDataset))
    func referenceFile() throws {
        let table = try CSVReader.read(contentsOf: S.realDatasetPath)
        let profile = DataProfile.make(table, target: nil, overrides: nil)
        #expect(profile.rows == 10_000)
        // 2,037 rows end in ",1": counted with Python's csv module when writing this test.
        #expect(
            profile.target
                == DataProfile.TargetBalance(
                    column: "Exited", positive: "1", negative: "0", positives: 2_037, negatives: 7_963,
                    positiveRate: 0.2037))
        #expect(profile.targetError == nil)
        #expect(profile.columns.filter(\.dropped).map(\.name) == ["RowNumber", "CustomerId", "Surname"])
        #expect(
            profile.columns.first { $0.name == "Surname" }?.reason
                == "2,933 distinct texts in 10,000 rows (more than 100 levels)")
        #expect(profile.leakage.isEmpty)
        #expect(profile.duplicateIds.isEmpty)
        #expect(
            profile.flags == [
                "RowNumber: 10,000 distinct whole numbers in 10,000 rows -> id, not used",
                "CustomerId: 10,000 distinct whole numbers in 10,000 rows -> id, not used",
                "Surname: 2,933 distinct texts in 10,000 rows (more than 100 levels) -> id, not used",
            ])
        let geography = try #require(profile.columns.first { $0.name == "Geography" })
        #expect(
            geography.top == [
                DataProfile.ValueCount(value: "France", count: 5_014),
                DataProfile.ValueCount(value: "Germany", count: 2_509),
                DataProfile.ValueCount(value: "Spain", count: 2_477),
            ])
        let credit = try #require(profile.columns.first { $0.name == "CreditScore" })
        #expect(credit.minimum == 350)
        #expect(credit.maximum == 850)
        #expect(credit.problemCount == 0)
        #expect(credit.type == "numeric")
        var withDialect = profile
        withDialect.dialect = CSVDialect()
        #expect(
            withDialect.render().hasPrefix("\(S.realDatasetPath): 10,000 rows, 14 columns (comma-separated, UTF-8)\n"))
        let rendered = profile.render()
        #expect(rendered.contains("10,000 rows, 14 columns"))
        #expect(rendered.contains("target Exited: \"1\" (churned) in 2,037 rows (20.4%), \"0\" in 7,963"))
        #expect(
            rendered.contains("  - Surname: 2,933 distinct texts in 10,000 rows (more than 100 levels) -> id, not used")
        )
        #expect(rendered.contains("France 5,014, Germany 2,509, Spain 2,477"))
    }

    /// 40 rows: CustomerId 100+row, but rows 7 and 9 repeat row 2's id (102, lines 4, 9, 11); age has
    /// `forty` on row 5 (line 7); `const` is always `same`; `leak` copies the target as Y/N.
    static func problemCSV() -> String {
        var text = "CustomerId,age,plan,const,leak,Exited\n"
        for row in 0..<40 {
            let id = row == 7 || row == 9 ? 102 : 100 + row
            let age = row == 5 ? "forty" : String(20 + (row * 7) % 30)
            let exited = row % 3 == 0
            text +=
                "\(id),\(age),\(["basic", "pro", "team", "max"][row % 4]),same,\(exited ? "Y" : "N"),\(exited ? 1 : 0)\n"
        }
        return text
    }

    @Test("a constructed file: typo with line and value, leakage, duplicate ids with lines, a constant column")
    func problems() throws {
        let profile = DataProfile.make(try S.table(Self.problemCSV()), target: nil, overrides: nil)
        // Rows 0, 3, ..., 39 are positive: 14 of 40.
        #expect(profile.target?.positives == 14)
        #expect(profile.target?.negatives == 26)
        let age = try #require(profile.columns.first { $0.name == "age" })
        #expect(age.type == "numeric")
        #expect(age.role == .numeric)
        #expect(age.problems == [DataProfile.TypeProblem(line: 7, value: "forty", message: "is not a number")])
        #expect(age.problemCount == 1)
        #expect(age.reason == "39 numbers and 1 value that is not a number (line 7 \"forty\")")
        var ages: [Double] = []
        for row in 0..<40 where row != 5 { ages.append(Double(20 + (row * 7) % 30)) }
        #expect(age.minimum == ages.min())
        #expect(age.maximum == ages.max())
        #expect(abs((age.mean ?? 0) - ages.reduce(0, +) / 39) < 1e-9)
        #expect(profile.leakage == [DataProfile.LeakageSuspect(column: "leak", rocAUC: 1)])
        #expect(
            profile.duplicateIds == [
                DataProfile.DuplicateIds(
                    column: "CustomerId", duplicateRows: 2,
                    examples: [DataProfile.DuplicateId(value: "102", lines: [4, 9, 11])])
            ])
        let constant = try #require(profile.columns.first { $0.name == "const" })
        #expect(constant.dropped)
        #expect(constant.reason == "one value (\"same\") in all 40 rows")
        #expect(profile.flags.count == 4)
        #expect(
            profile.flags[0].hasPrefix("age: 1 value is not a number (line 7 \"forty\"); churn train refuses the file"))
        #expect(profile.flags[1].hasPrefix("leak: alone predicts Exited with ROC-AUC 1.000"))
        #expect(profile.flags[2] == "CustomerId: 2 rows repeat an earlier id (102 on lines 4, 9, 11)")
        #expect(profile.flags[3] == "const: one value (\"same\") in all 40 rows -> id, not used")
        let rendered = profile.render()
        #expect(rendered.contains("not numbers: 1 (line 7 \"forty\")"))
        #expect(rendered.contains("CustomerId: 2 repeated rows, e.g. 102 (lines 4, 9, 11)"))
        #expect(rendered.contains("  leak: 1.000"))
    }

    @Test(
        "no target: the reason is recorded and flagged, the columns still profiled; a declared policy is flagged as such"
    )
    func targetErrorAndPolicy() throws {
        let table = try S.table(Self.problemCSV().replacingOccurrences(of: "Exited\n", with: "Outcome\n"))
        let profile = DataProfile.make(table, target: nil, overrides: nil)
        #expect(profile.target == nil)
        #expect(profile.targetError?.contains("--target") == true)
        #expect(profile.flags.first?.hasPrefix("no target: ") == true)
        #expect(profile.leakage.isEmpty)
        #expect(profile.columns.count == 6)
        let declared = DataProfile.make(
            table, target: "Outcome",
            overrides: SchemaOverrides(
                columns: ["age": .numeric, "Nope": .id], invalid: ["age": .missing], source: "schema.json"))
        #expect(declared.target?.column == "Outcome")
        #expect(
            declared.columns.first { $0.name == "age" }?.reason
                == "role set in schema.json; 39 numbers and 1 value that is not a number")
        #expect(declared.columns.first { $0.name == "age" }?.problemCount == 1)
        #expect(declared.flags.contains("schema.json names column \"Nope\", which is not in the file"))
        #expect(
            declared.flags.contains {
                $0
                    == "age: 1 value is not a number (line 7 \"forty\"); read as missing (\"invalid\": \"missing\" in schema.json)"
            })
    }

    @Test("the JSON form keeps the keys the gateway renders")
    func jsonKeys() throws {
        let profile = DataProfile.make(try S.table(Self.problemCSV()), target: nil, overrides: nil)
        let json = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)
        for key in [
            "\"duplicate_ids\"", "\"leakage\"", "\"flags\"", "\"problem_count\"", "\"positive_rate\"", "\"roc_auc\"",
            "\"duplicate_rows\"",
        ] {
            #expect(json.contains(key), "\(key)")
        }
        #expect(try JSONDecoder().decode(DataProfile.self, from: Data(json.utf8)) == profile)
    }
}
