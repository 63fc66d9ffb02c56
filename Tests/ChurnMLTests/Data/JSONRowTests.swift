import Testing

@testable import ChurnML

/// `--row` JSON objects become one-row tables through the shared strict JSON reader.
@Suite("JSONRow")
struct JSONRowTests {
    @Test("numbers, text, booleans and null become cells, columns sorted by name")
    func cells() throws {
        let table = try JSONRow.table(
            from: #"{"b": 101348.88, "a": "France", "c": true, "d": null, "e": 3}"#, source: "--row")
        #expect(table.columnNames == ["a", "b", "c", "d", "e"])
        #expect((0..<5).map { table.displayValue(row: 0, column: $0) } == ["France", "101348.88", "true", "", "3"])
    }

    @Test("a key given twice is an error naming it; nested values and non-objects are refused")
    func refusals() {
        #expect(throws: DataError("has the key \"a\" twice", source: "--row", value: #"{"a": 1, "a": 2}"#)) {
            try JSONRow.table(from: #"{"a": 1, "a": 2}"#, source: "--row")
        }
        for text in [#"{"a": [1]}"#, #"{"a": {}}"#, "[1]", "{", ""] {
            #expect(throws: DataError.self, "\(text)") { try JSONRow.table(from: text, source: "--row") }
        }
        #expect(throws: DataError("has different fields than the first row", source: "rows", line: 2)) {
            try JSONRow.table(fromRows: [#"{"a": 1}"#, #"{"b": 1}"#], source: "rows")
        }
    }
}
