import Foundation
import Testing

@testable import ChurnML

/// Every column inference drops or reinterprets gets one line saying why.
@Suite("Column notes")
struct ColumnNotesTests {
    typealias S = DataTestSupport

    /// 200 rows, one column per reason (see the expected notes below).
    static func reasonsCSV() -> String {
        var text = "RowNumber,CustomerId,name,empty,const,plan,flag,city,code,age,churn\n"
        for row in 0..<200 {
            // CustomerId: rows 10 and 20 repeat the previous row's id (2 repeats, 198 distinct = 99%).
            let customer = 1000 + (row == 10 || row == 20 ? row - 1 : row)
            let code = row % 5 < 2 ? "A\(row % 3)" : String(row % 5)
            text +=
                "\(row + 1),\(customer),n\(row),,x,\(row % 2 + 1),\(row % 3 == 0 ? 1 : 0),c\(row % 120),\(code),\(20 + row % 40),\(row % 2)\n"
        }
        return text
    }

    /// The notes, worked out by hand from the construction above.
    static let expectedNotes = [
        "RowNumber: 200 distinct whole numbers in 200 rows -> id, not used",
        "CustomerId: 198 distinct whole numbers in 200 rows (2 repeat earlier values), named like an id -> id, not used",
        "name: 200 distinct texts in 200 rows (all different) -> id, not used",
        "empty: all 200 values are missing -> id, not used",
        "const: one value (\"x\") in all 200 rows -> id, not used",
        "plan: two values (1 and 2), read as two categories -> binary",
        "city: 120 distinct texts in 200 rows (more than 100 levels) -> id, not used",
        // Rows with row % 5 < 2 (80 of 200) hold A0/A1/A2; the first is row 0, line 2.
        "code: 80 of 200 values are not numbers (first: line 2 \"A0\") -> categorical",
    ]

    @Test("each drop or reinterpretation reason gives one note, in table order; kept columns give none")
    func reasons() throws {
        let prepared = try SchemaInference.prepare(try S.table(Self.reasonsCSV()), target: nil, overrides: nil)
        #expect(prepared.notes.map(\.description) == Self.expectedNotes)
        #expect(prepared.warnings.isEmpty)
        #expect(prepared.schema.role(of: "flag") == .binary)
        #expect(prepared.schema.role(of: "age") == .numeric)
        #expect(prepared.schema.role(of: "code") == .categorical)
        #expect(prepared.schema.featureColumns.map(\.name) == ["plan", "flag", "code", "age"])
        #expect(prepared.messages == Self.expectedNotes)
    }

    @Test("a column the schema file sets to id is noted as set there")
    func schemaID() throws {
        let overrides = SchemaOverrides(columns: ["age": .id], source: "schema.json")
        let prepared = try SchemaInference.prepare(try S.table(Self.reasonsCSV()), target: nil, overrides: overrides)
        #expect(prepared.notes.map(\.description).last == "age: role set in schema.json -> id, not used")
        #expect(prepared.notes.count == Self.expectedNotes.count + 1)
    }

    @Test(
        "the reference file: RowNumber, CustomerId and Surname are dropped with their reasons",
        .enabled(if: DataTestSupport.hasRealDataset))
    func referenceNotes() throws {
        // Surname's 2,933 distinct values were counted with Python's csv module.
        let prepared = try SchemaInference.prepare(
            try CSVReader.read(contentsOf: S.realDatasetPath), target: nil, overrides: nil)
        #expect(
            prepared.notes.map(\.description) == [
                "RowNumber: 10,000 distinct whole numbers in 10,000 rows -> id, not used",
                "CustomerId: 10,000 distinct whole numbers in 10,000 rows -> id, not used",
                "Surname: 2,933 distinct texts in 10,000 rows (more than 100 levels) -> id, not used",
            ])
        #expect(prepared.warnings.isEmpty)
    }

    @Test("a whole-number id column with 3 repeats in 10,000 rows is an id, not a numeric feature")
    func customerIDWithRepeats() throws {
        var text = "CustomerId,balance,Exited\n"
        for row in 0..<10_000 {
            let id =
                [17, 4_000, 9_998].contains(row)
                ? 15_000_000 + (row * 7919 + 1) % 10_000 : 15_000_000 + (row * 7919) % 10_000
            text += "\(id),\(Double(row % 97) + 0.5),\(row % 5 == 0 ? 1 : 0)\n"
        }
        let prepared = try SchemaInference.prepare(try S.table(text), target: nil, overrides: nil)
        #expect(prepared.schema.role(of: "CustomerId") == .id)
        #expect(
            prepared.notes.map(\.description) == [
                "CustomerId: 9,997 distinct whole numbers in 10,000 rows (3 repeat earlier values), named like an id -> id, not used"
            ])
        // The same values under a name that is not an id's stay numeric.
        let renamed = try S.table(text.replacingOccurrences(of: "CustomerId,", with: "Amount,"))
        #expect(try SchemaInference.infer(renamed, target: nil, overrides: nil).role(of: "Amount") == .numeric)
    }

    @Test("names that look like an id's")
    func idNames() {
        for name in [
            "id", "ID", "customer_id", "CustomerId", "customerID", "CUSTOMER_ID", "account-id", "user id",
            "Customer Number", "row2ID",
        ] {
            #expect(ColumnAssessment.looksLikeID(name), "\(name)")
        }
        for name in ["Paid", "PAID", "valid", "Age", "Idle", "Id ea", "Surname"] {
            #expect(!ColumnAssessment.looksLikeID(name), "\(name)")
        }
    }

    @Test("schema JSON: invalid only when set, notes tolerated when absent, encoder bytes unchanged without a policy")
    func schemaJSONCompatibility() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(
            String(decoding: try encoder.encode(ColumnSchema(name: "a", role: .numeric)), as: UTF8.self)
                == #"{"name":"a","role":"numeric"}"#)
        #expect(
            String(
                decoding: try encoder.encode(ColumnSchema(name: "a", role: .numeric, invalid: .missing)), as: UTF8.self)
                == #"{"invalid":"missing","name":"a","role":"numeric"}"#)
        let old = try JSONDecoder().decode(
            Schema.self,
            from: Data(
                #"{"columns":[{"name":"a","role":"numeric"},{"name":"t","role":"target"}],"target":"t","positiveLabel":"1"}"#
                    .utf8))
        #expect(old.notes.isEmpty)
        #expect(old.columns[0].invalid == nil)
        let noted = Schema(
            columns: old.columns, target: "t", positiveLabel: "1",
            notes: [ColumnNote(column: "x", role: .id, reason: "all 3 values are missing")])
        let json = String(decoding: try encoder.encode(noted), as: UTF8.self)
        #expect(json.contains(#""notes":[{"column":"x","reason":"all 3 values are missing","role":"id"}]"#))
        #expect(try JSONDecoder().decode(Schema.self, from: Data(json.utf8)) == noted)
        let fitted = FeatureEncoder(
            column: "a", role: .numeric, levels: [], numericSource: true, fill: nil, numericFill: 1, minimum: 0,
            maximum: 2, levelCounts: nil)
        #expect(!String(decoding: try encoder.encode(fitted), as: UTF8.self).contains("invalid"))
    }
}
