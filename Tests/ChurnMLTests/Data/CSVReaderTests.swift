import Foundation
import Testing

@testable import ChurnML

@Suite("CSVReader")
struct CSVReaderTests {
    typealias S = DataTestSupport

    @Test("plain LF file: header, typed columns, line numbers")
    func plainFile() throws {
        let table = try S.table("id,name,score\n1,Ann,3.5\n2,Bob,-4\n3,Cy,1e2\n")
        #expect(table.source == "t.csv")
        #expect(table.columnNames == ["id", "name", "score"])
        #expect(table.rowCount == 3)
        #expect(table.lineNumbers == [2, 3, 4])
        #expect(S.numbers(table.column(named: "id")) == [1, 2, 3])
        #expect(S.texts(table.column(named: "name")) == ["Ann", "Bob", "Cy"])
        #expect(S.numbers(table.column(named: "score")) == [3.5, -4, 100])
    }

    @Test("CRLF, mixed endings, lone CR, no trailing newline, BOM")
    func lineEndings() throws {
        let expected = try S.table("a,b\n1,x\n2,y\n3,z\n")
        let variants = [
            "a,b\r\n1,x\r\n2,y\r\n3,z\r\n",
            "a,b\r\n1,x\n2,y\r\n3,z",
            "a,b\r1,x\r2,y\r3,z\r",
            "\u{FEFF}a,b\n1,x\n2,y\n3,z\n",
            "a,b\n1,x\n2,y\n3,z\n\n",
            "a,b\n1,x\n2,y\n3,z\r\n\r\n",
        ]
        for text in variants {
            let table = try S.table(text)
            #expect(table.columnNames == expected.columnNames, "\(text.debugDescription)")
            #expect(table.columns == expected.columns, "\(text.debugDescription)")
            #expect(table.lineNumbers == [2, 3, 4], "\(text.debugDescription)")
        }
    }

    @Test("blank lines in the middle are skipped but still counted as lines")
    func blankLines() throws {
        let table = try S.table("a,b\n\n1,x\n\r\n2,y\n")
        #expect(table.rowCount == 2)
        // Line 1 header, 2 blank, 3 first row, 4 blank, 5 second row.
        #expect(table.lineNumbers == [3, 5])
    }

    @Test("quoted fields: commas, newlines, doubled quotes, and later line numbers")
    func quotedFields() throws {
        let text = "name,note,n\n\"Smith, J\",\"said \"\"hi\"\"\",1\n\"multi\nline\r\nnote\",\"\",2\nplain,\"x\",3\n"
        let table = try S.table(text)
        #expect(S.texts(table.column(named: "name")) == ["Smith, J", "multi\nline\r\nnote", "plain"])
        // "" is an empty quoted field: missing.
        #expect(S.texts(table.column(named: "note")) == ["said \"hi\"", nil, "x"])
        #expect(S.numbers(table.column(named: "n")) == [1, 2, 3])
        // Row 2 starts on line 3 and spans lines 3-5, so row 3 starts on line 6.
        #expect(table.lineNumbers == [2, 3, 6])
    }

    @Test("a quoted number is a number; a quote inside an unquoted field is kept")
    func quotedNumbersAndLiteralQuotes() throws {
        let table = try S.table("n,t\n\"42\",5'10\"\n\" 7 \",x\n")
        #expect(S.numbers(table.column(named: "n")) == [42, 7])
        #expect(S.texts(table.column(named: "t")) == ["5'10\"", "x"])
    }

    @Test("trailing comma gives a final empty field")
    func trailingComma() throws {
        let table = try S.table("a,b,c\n1,2,\n4,5,6\n")
        #expect(S.numbers(table.column(named: "c")) == [nil, 6])
    }

    @Test("missing tokens in any case and blank fields are missing; columns stay numeric")
    func missingTokens() throws {
        let tokens = ["", "NA", "na", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "none", "  ", " NA "]
        let text = "x,y\n" + tokens.map { "\($0),t" }.joined(separator: "\n") + "\n5,t\n"
        let table = try S.table(text)
        #expect(S.numbers(table.column(named: "x")) == Array(repeating: nil, count: tokens.count) + [5])
    }

    @Test("missing tokens in a text column are nil, other text kept exactly (no trimming)")
    func missingInText() throws {
        let table = try S.table("c\nFrance\nNA\n Spain \nNone\n\n")
        #expect(S.texts(table.column(named: "c")) == ["France", nil, " Spain ", nil])
    }

    @Test("numeric syntax accepted: signs, fractions, exponents, spaces")
    func numericSyntax() throws {
        let fields = ["+1", "-2.5", ".5", "5.", "1e3", "1E-2", "-0", " 12 ", "\t3\t", "007", "1.5e+2"]
        let expected: [Double] = [1, -2.5, 0.5, 5, 1000, 0.01, 0, 12, 3, 7, 150]
        let table = try S.table("v\n" + fields.joined(separator: "\n") + "\n")
        #expect(S.numbers(table.columns.first) == expected.map { Optional($0) })
    }

    @Test("one non-number turns the whole column to text, including rows read before it")
    func columnTurnsToText() throws {
        let text = "code,n\n1,1\n\"2\",2\nNA,3\n\"x\"\"y\",4\n007,5\nA12,6\n"
        let table = try S.table(text)
        // The text column keeps the original spelling of the earlier numeric-looking fields.
        #expect(S.texts(table.column(named: "code")) == ["1", "2", nil, "x\"y", "007", "A12"])
        #expect(S.numbers(table.column(named: "n")) == [1, 2, 3, 4, 5, 6])
    }

    @Test("infinite or hexadecimal values are text")
    func nonFiniteIsText() throws {
        #expect(try S.table("v\n1\n1e400\n").columns.first?.isNumeric == false)
        #expect(try S.table("v\n1\ninf\n").columns.first?.isNumeric == false)
        #expect(try S.table("v\n1\n0x10\n").columns.first?.isNumeric == false)
        #expect(try S.table("v\n1\n\"1,000\"\n").columns.first?.isNumeric == false)
    }

    @Test("header names are trimmed of spaces; a quoted header works")
    func headerNames() throws {
        let table = try S.table(" a ,\"b, c\",d\t\n1,2,3\n")
        #expect(table.columnNames == ["a", "b, c", "d"])
    }

    @Test("UTF-8 text survives, including multi-byte characters")
    func utf8Text() throws {
        let table = try S.table("name\nJosé\n北京\n😀\n")
        #expect(S.texts(table.columns.first) == ["José", "北京", "😀"])
    }

    @Test("read(contentsOf:) reads a file and names it by the path as given")
    func readFile() throws {
        let path = S.temporaryPath("read.csv")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("a,b\r\n1,x\r\n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try CSVReader.read(contentsOf: path)
        #expect(table.source == path)
        #expect(S.numbers(table.column(named: "a")) == [1])
    }

    // MARK: - Errors

    @Test("missing file and directory are DataErrors naming the path")
    func unreadable() {
        let missing = S.temporaryPath("nope.csv")
        let error = S.dataError { _ = try CSVReader.read(contentsOf: missing) }
        #expect(error?.source == missing)
        #expect(error?.reason.contains("No such file") == true)
        let directory = S.dataError { _ = try CSVReader.read(contentsOf: NSTemporaryDirectory()) }
        #expect(directory?.reason.contains("directory") == true)
    }

    @Test("empty file, BOM only, blank lines only")
    func emptyFiles() {
        for text in ["", "\u{FEFF}", "\n\n\r\n"] {
            let error = S.dataError { _ = try S.table(text) }
            #expect(error?.source == "t.csv")
            #expect(error?.reason.contains("empty") == true, "\(text.debugDescription)")
        }
    }

    @Test("header without data rows")
    func headerOnly() {
        for text in ["a,b", "a,b\n", "a,b\r\n\r\n"] {
            let error = S.dataError { _ = try S.table(text) }
            #expect(error?.reason.contains("no data rows") == true)
            #expect(error?.line == 1)
        }
    }

    @Test("empty and duplicate header names")
    func badHeaders() {
        let empty = S.dataError { _ = try S.table("a,,c\n1,2,3\n") }
        #expect(empty?.line == 1)
        #expect(empty?.reason.contains("column 2 has an empty name") == true)
        let blank = S.dataError { _ = try S.table("a, ,c\n1,2,3\n") }
        #expect(blank?.reason.contains("empty name") == true)
        let duplicate = S.dataError { _ = try S.table("a,b,a\n1,2,3\n") }
        #expect(duplicate?.column == "a")
        #expect(duplicate?.reason.contains("columns 1 and 3") == true)
    }

    @Test("wrong field count names the line and both counts")
    func wrongFieldCount() {
        let short = S.dataError { _ = try S.table("a,b,c\n1,2,3\n4,5\n") }
        #expect(short?.line == 3)
        #expect(short?.reason == "expected 3 fields, found 2")
        #expect(short?.value == "4,5")
        #expect(short?.description == "t.csv:3: \"4,5\" expected 3 fields, found 2")
        let long = S.dataError { _ = try S.table("a,b\r\n1,2\r\n\"x\ny\",2,3\r\n") }
        #expect(long?.line == 3)
        #expect(long?.reason == "expected 2 fields, found 3")
    }

    @Test("unterminated quote names the line where the quote opened and the column")
    func unterminatedQuote() {
        let error = S.dataError { _ = try S.table("a,b\n1,2\n3,\"open\nstill open\n") }
        #expect(error?.line == 3)
        #expect(error?.column == "b")
        #expect(error?.reason.contains("never closed") == true)
    }

    @Test("text after a closing quote is an error")
    func textAfterQuote() {
        let error = S.dataError { _ = try S.table("a,b\n1,\"x\"y\n") }
        #expect(error?.line == 2)
        #expect(error?.column == "b")
    }

    @Test("invalid UTF-8 names line, column and shows the value")
    func invalidUTF8() {
        var bytes = Array("name,n\nok,1\n".utf8)
        bytes += [0x42, 0xFF, 0x43] + Array(",2\n".utf8)
        let error = S.dataError { _ = try CSVReader.parse(bytes, source: "u.csv") }
        #expect(error?.source == "u.csv")
        #expect(error?.line == 3)
        #expect(error?.column == "name")
        #expect(error?.value == "B\u{FFFD}C")
        // An invalid sequence inside a column that only turns to text later is caught too.
        let late = S.dataError {
            _ = try CSVReader.parse(Array("v\n1\n".utf8) + [0xC3, 0x28] + Array("\n".utf8), source: "u.csv")
        }
        #expect(late?.line == 3)
        // Overlong encoding and a surrogate are rejected.
        for sequence: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] {
            #expect(throws: DataError.self) {
                _ = try CSVReader.parse(Array("v\n".utf8) + sequence + [0x0A], source: "u")
            }
        }
    }
}
