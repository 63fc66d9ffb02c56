import Testing

@testable import ChurnML

/// The one CSV field quoting: every field that holds a comma, quote, CR or LF is quoted, and what
/// it writes reads back through ChurnML's CSV reader as the same fields.
@Suite("CSVField")
struct CSVFieldTests {
    @Test("fields with a comma, quote, CR or LF are quoted; others are left alone")
    func quoting() {
        #expect(CSVField.quote("plain") == "plain")
        #expect(CSVField.quote("") == "")
        #expect(CSVField.quote("a,b") == "\"a,b\"")
        #expect(CSVField.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.quote("two\nlines") == "\"two\nlines\"")
        #expect(CSVField.quote("carriage\rreturn") == "\"carriage\rreturn\"")
        // "\r\n" is one Character in Swift, equal to neither "\r" nor "\n": the test is on bytes.
        #expect(CSVField.quote("windows\r\nline") == "\"windows\r\nline\"")
        #expect(CSVField.needsQuotes("é ü 😀") == false)
        var bytes: [UInt8] = []
        CSVField.append("x,y", to: &bytes)
        CSVField.append("z", to: &bytes)
        #expect(bytes == Array("\"x,y\"z".utf8))
    }

    @Test("quoted fields read back as the same values")
    func roundTrip() throws {
        let values = ["a,b", "say \"hi\"", "two\nlines", "crlf\r\nline", "plain"]
        let header = (0..<values.count).map { "c\($0)" }.joined(separator: ",")
        let text = header + "\n" + values.map(CSVField.quote).joined(separator: ",") + "\n"
        let table = try CSVReader.parse(Array(text.utf8), source: "t.csv")
        #expect(table.rowCount == 1)
        for (index, value) in values.enumerated() {
            #expect(table.displayValue(row: 0, column: index) == value, "column \(index)")
        }
    }
}
