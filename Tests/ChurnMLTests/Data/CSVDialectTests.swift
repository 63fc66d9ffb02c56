import Foundation
import Testing

@testable import ChurnML

@Suite("CSV dialects")
struct CSVDialectTests {
    typealias S = DataTestSupport

    /// The same small table in a comma file.
    static let commaText = "id,name,score,city\n1,Ann,3.5,Paris\n2,\"Bob, Jr.\",-4,Lyon\n3,Cy,,\"Nice\"\n"

    /// `commaText` with `delimiter` in place of the comma (the quoted comma stays a comma).
    static func with(_ delimiter: String) -> String {
        "id\(delimiter)name\(delimiter)score\(delimiter)city\n1\(delimiter)Ann\(delimiter)3.5\(delimiter)Paris\n"
            + "2\(delimiter)\"Bob, Jr.\"\(delimiter)-4\(delimiter)Lyon\n3\(delimiter)Cy\(delimiter)\(delimiter)\"Nice\"\n"
    }

    @Test("`,` `;` tab and `|` are detected and give the same table")
    func detectsEachDelimiter() throws {
        let expected = try S.table(Self.commaText)
        #expect(expected.dialect?.delimiter == 0x2C)
        for (text, byte) in [(";", UInt8(0x3B)), ("\t", 0x09), ("|", 0x7C)] {
            let table = try S.table(Self.with(text))
            #expect(table.columnNames == expected.columnNames, "\(text.debugDescription)")
            #expect(table.columns == expected.columns, "\(text.debugDescription)")
            #expect(table.lineNumbers == expected.lineNumbers)
            #expect(table.dialect?.delimiter == byte)
            #expect(table.dialect?.delimiterDetected == true)
            #expect(table.dialect?.decimalMark == 0x2E)
        }
    }

    @Test("quoted delimiters and line breaks do not mislead detection")
    func quotedFieldsDoNotMislead() throws {
        // A comma file whose quoted texts are full of semicolons and pipes.
        let comma = try S.table("a,b\n\"x;y;z|w\",1\n\"p;q\nr;s\",2\n")
        #expect(comma.dialect?.delimiter == 0x2C)
        #expect(S.texts(comma.column(named: "a")) == ["x;y;z|w", "p;q\nr;s"])
        // A semicolon file with commas in quoted texts and an unquoted comma text.
        let semicolon = try S.table("a;b;c\n\"1,2,3\";x,y;7\n\"4,5\";z;8\n")
        #expect(semicolon.dialect?.delimiter == 0x3B)
        #expect(S.texts(semicolon.column(named: "b")) == ["x,y", "z"])
        #expect(S.numbers(semicolon.column(named: "c")) == [7, 8])
    }

    @Test("the row count wins over the header's field count: a tab file with commas in its texts")
    func consistencyWins() throws {
        // The header splits on both the tab (2 fields) and the comma (2 fields); only the tab splits
        // every row into 2.
        let table = try S.table("a,x\tb\n1, 2, 3\t4\nno comma\t5\n")
        #expect(table.dialect?.delimiter == 0x09)
        #expect(table.columnNames == ["a,x", "b"])
    }

    @Test("a one-column file is read with the comma, and --delimiter forces a delimiter")
    func singleColumnAndForced() throws {
        let single = try S.table("Exited\n1\n0\n")
        #expect(single.columnNames == ["Exited"])
        #expect(single.dialect?.delimiter == 0x2C)
        let forced = try CSVReader.parse(
            Array("a;b\n1;2\n".utf8), source: "f.csv", options: CSVReadOptions(delimiter: 0x2C))
        #expect(forced.columnNames == ["a;b"])
        #expect(S.texts(forced.column(named: "a;b")) == ["1;2"])
        #expect(forced.dialect?.delimiterDetected == false)
        let error = S.dataError {
            _ = try CSVReader.parse(Array("a\n1\n".utf8), source: "f.csv", options: CSVReadOptions(delimiter: 0x41))
        }
        #expect(error?.description.contains("use one of , ; tab |") == true)
    }

    @Test("options: a delimiter by name, and re-reading a file as its dialect says")
    func readOptions() throws {
        #expect(try CSVReadOptions(delimiterNamed: "tab").delimiter == 0x09)
        #expect(try CSVReadOptions(delimiterNamed: "|").delimiter == 0x7C)
        #expect(try CSVReadOptions(delimiterNamed: nil).delimiter == nil)
        let error = S.dataError { _ = try CSVReadOptions(delimiterNamed: "::") }
        #expect(
            error?.description == "\"::\" is not a CSV delimiter; use one of , ; tab | (or comma, semicolon, tab, pipe)"
        )
        #expect(CSVReadOptions(rereading: CSVDialect(delimiter: 0x3B, delimiterDetected: false)).delimiter == 0x3B)
        #expect(CSVReadOptions(rereading: CSVDialect(delimiter: 0x3B, delimiterDetected: true)).delimiter == nil)
        #expect(CSVReadOptions(rereading: nil).delimiter == nil)
    }

    @Test("a wrong field count in a detected dialect names the line")
    func raggedRow() throws {
        let error = S.dataError { _ = try S.table("a;b;c\n1;2;3\n4;5\n6;7;8\n") }
        #expect(error?.line == 3)
        #expect(error?.reason == "expected 3 fields, found 2")
    }

    @Test("decimal comma: numbers in a `;` file, kept as text in a comma file")
    func decimalComma() throws {
        let table = try S.table("amount;rate;code;n\n1234,56;0,5;a,b;1\n-7,25;1.5;c;2\n8;2,0e3;d,e;3\n")
        #expect(table.dialect?.decimalMark == 0x2C)
        #expect(S.numbers(table.column(named: "amount")) == [1234.56, -7.25, 8])
        // Each number may use either mark; exponents work after a decimal comma.
        #expect(S.numbers(table.column(named: "rate")) == [0.5, 1.5, 2000])
        #expect(S.texts(table.column(named: "code")) == ["a,b", "c", "d,e"])
        // A `;` file with no decimal comma in its numbers says so.
        let plain = try S.table("a;b\n1.5;x\n2;y\n")
        #expect(plain.dialect?.decimalMark == 0x2E)
        // A column that turns to text does not count as using the decimal comma.
        let turned = try S.table("a;b\n1,5;x\nabc;y\n")
        #expect(turned.dialect?.decimalMark == 0x2E)
        #expect(S.texts(turned.column(named: "a")) == ["1,5", "abc"])
    }

    @Test("a decimal comma is parsed exactly like the decimal point, long mantissas included")
    func decimalCommaExact() throws {
        let values = [
            "0.1", "101348.88", "0.12345678901234567890123", "123456789012345678901.5", "-3.000000000000000444",
            "7.5e-310",
        ]
        let point = try S.table("a;b\n" + values.map { "\($0);x" }.joined(separator: "\n") + "\n")
        let comma = try S.table(
            "a;b\n" + values.map { $0.replacingOccurrences(of: ".", with: ",") + ";x" }.joined(separator: "\n") + "\n")
        let expected = values.map { Double($0) }
        #expect(S.numbers(point.column(named: "a")) == expected)
        #expect(S.numbers(comma.column(named: "a")) == expected)
    }

    @Test("UTF-8 byte-order mark is recorded")
    func utf8ByteOrderMark() throws {
        let table = try S.table("\u{FEFF}a;b\n1;2\n")
        #expect(table.columnNames == ["a", "b"])
        #expect(table.dialect?.byteOrderMark == true)
        #expect(table.dialect?.encoding == "utf-8")
    }

    /// `text` as UTF-16 code units, little- or big-endian, with or without a byte-order mark.
    static func utf16(_ text: String, bigEndian: Bool, mark: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        for unit in (mark ? [0xFEFF] : []) + Array(text.utf16) {
            let pair = [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            bytes += bigEndian ? pair : pair.reversed()
        }
        return bytes
    }

    @Test("UTF-16 with or without a byte-order mark is decoded; non-ASCII text survives")
    func utf16() throws {
        let text = "name\tcity\tscore\r\nZoë\t東京\t1,5\r\n😀 Ann\tKöln\t2\r\n"
        let expected = try S.table(text)
        #expect(S.texts(expected.column(named: "city")) == ["東京", "Köln"])
        for (bigEndian, mark) in [(false, true), (true, true), (false, false), (true, false)] {
            let table = try CSVReader.parse(Self.utf16(text, bigEndian: bigEndian, mark: mark), source: "u.csv")
            #expect(table.columns == expected.columns, "bigEndian \(bigEndian) mark \(mark)")
            #expect(table.dialect?.encoding == (bigEndian ? "utf-16be" : "utf-16le"))
            #expect(table.dialect?.byteOrderMark == mark)
            #expect(table.dialect?.delimiter == 0x09)
            #expect(table.dialect?.decimalMark == 0x2C)
        }
    }

    @Test("broken UTF-16 and UTF-32 are refused with a clear message")
    func brokenUnicode() throws {
        var unpaired = Self.utf16("a,b\n1,", bigEndian: false, mark: true)
        unpaired += [0x00, 0xD8]  // a lone high surrogate
        unpaired += Self.utf16("\n", bigEndian: false, mark: false)
        let surrogate = S.dataError { _ = try CSVReader.parse(unpaired, source: "u.csv") }
        #expect(
            surrogate?.description.hasPrefix("u.csv: is not valid UTF-16LE text (an unpaired surrogate at byte 14)")
                == true)
        let odd = S.dataError {
            _ = try CSVReader.parse(Self.utf16("a,b\n1,2\n", bigEndian: true, mark: true) + [0x41], source: "u.csv")
        }
        #expect(odd?.description.contains("odd number of bytes") == true)
        let utf32: [UInt8] = [0xFF, 0xFE, 0x00, 0x00, 0x61, 0, 0, 0]
        let refused = S.dataError { _ = try CSVReader.parse(utf32, source: "u.csv") }
        #expect(
            refused?.description == "u.csv: is UTF-32 text, which is not supported; save the file as UTF-8 (or UTF-16)")
    }

    /// `bytes` compressed by the system's `gzip`.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = S.temporaryPath("g.csv")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", "-n", path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let compressed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
        try? FileManager.default.removeItem(atPath: path + ".gz")
        return compressed
    }

    @Test("gzip files are read directly, several members as one, and damage is reported")
    func gzipFiles() throws {
        let text = Self.with(";")
        let expected = try S.table(text)
        let compressed = try Self.gzip(Array(text.utf8))
        let table = try CSVReader.parse(compressed, source: "g.csv.gz")
        #expect(table.columns == expected.columns)
        #expect(table.dialect?.compression == "gzip")
        #expect(table.dialect?.delimiter == 0x3B)
        // Two members, as `cat a.gz b.gz` makes, split in the middle of a row.
        let split = text.utf8.count / 2
        let members = try Self.gzip(Array(text.utf8.prefix(split))) + Self.gzip(Array(text.utf8.dropFirst(split)))
        #expect(try CSVReader.parse(members, source: "g.csv.gz").columns == expected.columns)
        // UTF-16 inside gzip.
        let wide = try Self.gzip(Self.utf16(text, bigEndian: false, mark: true))
        let decoded = try CSVReader.parse(wide, source: "w.csv.gz")
        #expect(decoded.columns == expected.columns)
        #expect(decoded.dialect?.encoding == "utf-16le")
        let truncated = S.dataError { _ = try CSVReader.parse(Array(compressed.dropLast(12)), source: "g.csv.gz") }
        #expect(truncated?.description == "g.csv.gz: is a truncated gzip file (its compressed data ends early)")
        var damaged = compressed
        for index in 12..<min(30, damaged.count - 8) { damaged[index] ^= 0x5A }
        let corrupt = S.dataError { _ = try CSVReader.parse(damaged, source: "g.csv.gz") }
        #expect(corrupt?.description.hasPrefix("g.csv.gz: is not a valid gzip file") == true)
        let trailing = S.dataError { _ = try CSVReader.parse(compressed + [0x41, 0x42], source: "g.csv.gz") }
        #expect(trailing?.description == "g.csv.gz: has bytes after the end of its gzip data that are not gzip")
        #expect(try CSVReader.parse(compressed + [0, 0, 0], source: "g.csv.gz").columns == expected.columns)
    }

    @Test("gzip output is bounded")
    func gzipBound() throws {
        let compressed = try Self.gzip([UInt8](repeating: 0x41, count: 100_000))
        let error = S.dataError { _ = try Gzip.decompress(compressed, source: "bomb.gz", limit: 50_000) }
        #expect(error?.description.hasPrefix("bomb.gz: inflates to more than") == true)
        #expect(try Gzip.decompress(compressed, source: "ok.gz", limit: 100_000).count == 100_000)
    }

    @Test("the dialect's JSON form and description")
    func dialectJSON() throws {
        let dialect = CSVDialect(
            delimiter: 0x3B, decimalMark: 0x2C, encoding: "utf-16le", byteOrderMark: true, compression: "gzip")
        let json = String(decoding: try JSONEncoder().encode(dialect), as: UTF8.self)
        #expect(json.contains(#""delimiter":";""#))
        #expect(json.contains(#""decimal_mark":",""#))
        #expect(try JSONDecoder().decode(CSVDialect.self, from: Data(json.utf8)) == dialect)
        #expect(dialect.description == "semicolon-separated, decimal comma, UTF-16LE with BOM, gzip")
        #expect(CSVDialect().description == "comma-separated, UTF-8")
        #expect(CSVDialect(delimiter: 0x09, delimiterDetected: false).description == "tab-separated (forced), UTF-8")
    }

    /// The reference dataset's lines (no field of it is quoted).
    static func referenceRows() throws -> [[String]] {
        let text = try String(contentsOfFile: S.realDatasetPath, encoding: .utf8)
        return text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The reference dataset written with `delimiter`, numbers with a decimal comma when `decimalComma`.
    static func reexport(_ rows: [[String]], delimiter: String, decimalComma: Bool) -> [UInt8] {
        let lines = rows.map { fields in
            fields.map { decimalComma ? $0.replacingOccurrences(of: ".", with: ",") : $0 }.joined(separator: delimiter)
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    @Test(
        "the reference dataset re-exported four ways and gzipped trains bit-identical weights and metrics",
        .enabled(if: DataTestSupport.hasRealDataset))
    func referenceReexports() throws {
        let rows = try Self.referenceRows()
        let original = try FileBytes.read(S.realDatasetPath)
        let variants: [(String, [UInt8])] = [
            ("semicolon", Self.reexport(rows, delimiter: ";", decimalComma: false)),
            ("tab", Self.reexport(rows, delimiter: "\t", decimalComma: false)),
            ("pipe", Self.reexport(rows, delimiter: "|", decimalComma: false)),
            ("semicolon + decimal comma", Self.reexport(rows, delimiter: ";", decimalComma: true)),
            ("gzip", try Self.gzip(original)),
            ("gzip semicolon + decimal comma", try Self.gzip(Self.reexport(rows, delimiter: ";", decimalComma: true))),
        ]
        let reference = try CSVReader.parse(original, source: "reference.csv")
        let referenceModel = try Self.train(reference)
        for (name, bytes) in variants {
            let table = try CSVReader.parse(bytes, source: "\(name).csv")
            #expect(table.columnNames == reference.columnNames, "\(name)")
            #expect(table.columns == reference.columns, "\(name)")
            let model = try Self.train(table)
            #expect(model.network == referenceModel.network, "\(name)")
            #expect(model.pipeline == referenceModel.pipeline, "\(name)")
            #expect(model.metrics == referenceModel.metrics, "\(name)")
        }
        let decimal = try CSVReader.parse(variants[3].1, source: "d.csv")
        #expect(decimal.dialect?.decimalMark == 0x2C)
    }

    /// A short reference-recipe training (5 epochs, seed 3) of `table`.
    static func train(_ table: Table) throws -> ModelBundle {
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 5
        configuration.seed = 3
        return try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "0", source: "reference"), created: "2026-01-01T00:00:00Z"
        ).bundle
    }
}
