import Foundation
import Testing

@testable import ChurnML

@Suite("SchemaOverrides")
struct SchemaOverridesTests {
    typealias S = DataTestSupport

    /// Writes `json` to a temporary file and loads it.
    private func load(_ json: String) throws -> SchemaOverrides {
        let path = S.temporaryPath("schema.json")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(json.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try SchemaOverrides.load(path: path)
    }

    /// The DataError from loading `json`, with its source checked to be the file.
    private func loadError(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> DataError? {
        let error = S.dataError(sourceLocation: sourceLocation) { _ = try load(json) }
        #expect(error?.source?.hasSuffix("schema.json") == true, sourceLocation: sourceLocation)
        return error
    }

    @Test("a full schema file loads, with its path recorded")
    func loadsFile() throws {
        let overrides = try load(
            #"{"target": "Exited", "positive": "1", "columns": {"Surname": "id", "NumOfProducts": "categorical"}}"#)
        #expect(overrides.target == "Exited")
        #expect(overrides.positive == "1")
        #expect(overrides.columns == ["Surname": .id, "NumOfProducts": .categorical])
        #expect(overrides.source?.hasSuffix("schema.json") == true)
        let empty = try load("{}")
        #expect(empty.target == nil)
        #expect(empty.positive == nil)
        #expect(empty.columns == nil)
    }

    @Test("positive may be written as a number or a boolean")
    func positiveForms() throws {
        #expect(try load(#"{"positive": 1}"#).positive == "1")
        #expect(try load(#"{"positive": 1.5}"#).positive == "1.5")
        #expect(try load(#"{"positive": true}"#).positive == "true")
        #expect(try load(#"{"positive": null}"#).positive == nil)
    }

    @Test("unknown role, unknown key, wrong type, not an object, broken JSON, missing file")
    func errors() {
        let role = loadError(#"{"columns": {"Age": "number"}}"#)
        #expect(role?.column == "Age")
        #expect(role?.value == "number")
        #expect(role?.reason.contains("categorical") == true)
        let key = loadError(#"{"postive": "1"}"#)
        #expect(key?.value == "postive")
        let type = loadError(#"{"target": 5}"#)
        #expect(type?.reason.contains("\"target\"") == true)
        let array = loadError(#"["Exited"]"#)
        #expect(array?.reason.contains("JSON object") == true)
        let broken = loadError(#"{"target": "Exited""#)
        #expect(broken?.reason.contains("not valid JSON") == true)
        let path = S.temporaryPath("absent.json")
        let missing = S.dataError { _ = try SchemaOverrides.load(path: path) }
        #expect(missing?.source == path)
    }

    @Test("JSON round trip leaves out the source")
    func roundTrip() throws {
        let overrides = SchemaOverrides(target: "Churn", positive: "Yes", columns: ["id": .id], source: "x.json")
        let data = try JSONEncoder().encode(overrides)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("x.json"))
        let decoded = try JSONDecoder().decode(SchemaOverrides.self, from: data)
        #expect(decoded == SchemaOverrides(target: "Churn", positive: "Yes", columns: ["id": .id]))
    }

    @Test("a column entry may be an object with role and, for numeric columns, invalid")
    func objectEntries() throws {
        let overrides = try load(
            #"{"columns": {"CreditScore": {"role": "numeric", "invalid": "missing"}, "Age": {"role": "numeric"}, "Surname": "id"}}"#
        )
        #expect(overrides.columns == ["CreditScore": .numeric, "Age": .numeric, "Surname": .id])
        #expect(overrides.invalid == ["CreditScore": .missing])
        #expect(try load(#"{"columns": {"Age": {"role": "numeric", "invalid": "error"}}}"#).invalid == ["Age": .error])
        let onCategorical = loadError(#"{"columns": {"Geography": {"role": "categorical", "invalid": "missing"}}}"#)
        #expect(onCategorical?.column == "Geography")
        #expect(onCategorical?.reason.contains("only to numeric") == true)
        let unknownKey = loadError(#"{"columns": {"Age": {"role": "numeric", "invalide": "missing"}}}"#)
        #expect(unknownKey?.column == "Age")
        #expect(unknownKey?.value == "invalide")
        let badPolicy = loadError(#"{"columns": {"Age": {"role": "numeric", "invalid": "zero"}}}"#)
        #expect(badPolicy?.value == "zero")
        let noRole = loadError(#"{"columns": {"Age": {"invalid": "missing"}}}"#)
        #expect(noRole?.column == "Age")
        let badRole = loadError(#"{"columns": {"Age": {"role": "number"}}}"#)
        #expect(badRole?.value == "number")
        let number = loadError(#"{"columns": {"Age": 5}}"#)
        #expect(number?.reason.contains("columns.Age") == true)
    }

    @Test("JSON round trip keeps the invalid policy in the object form")
    func roundTripPolicy() throws {
        let overrides = SchemaOverrides(
            columns: ["CreditScore": .numeric, "Surname": .id], invalid: ["CreditScore": .missing])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(overrides), as: UTF8.self)
        #expect(text == #"{"columns":{"CreditScore":{"invalid":"missing","role":"numeric"},"Surname":"id"}}"#)
        #expect(try JSONDecoder().decode(SchemaOverrides.self, from: Data(text.utf8)) == overrides)
    }
}
