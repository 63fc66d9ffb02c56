import ChurnML
import Foundation
import NIOCore
import Testing
import Wire

@testable import Gateway

/// The gateway's own readers and small computations: CSV, forms, multipart, row checking,
/// calibration, risk bands, number formatting, chart ticks.
@Suite("Gateway input and helpers")
struct InputTests {
    @Test(
        "CSV uploads are read by ChurnML's reader: BOM, CRLF, quotes with escaped quotes and line breaks, blank trailing line"
    )
    func csv() throws {
        let text = "\u{FEFF}Name,Note,Age\r\n\"Smith, J\",\"said \"\"hi\"\"\nthen left\",42\r\nLee,,7\r\n\r\n"
        let table = try UploadedTable.read(Array(text.utf8), source: "a.csv", maxRows: 10)
        #expect(table.columnNames == ["Name", "Note", "Age"])
        #expect(table.columns[0] == .text(["Smith, J", "Lee"]))
        #expect(table.columns[1] == .text(["said \"hi\"\nthen left", nil]))
        #expect(table.columns[2] == .numeric([42, 7]))
        #expect(table.lineNumbers == [2, 4])
    }

    @Test(
        "CSV problems keep the reader's located message and name the line",
        arguments: [
            ("a,b\n1,2\n3\n", "line 3"),
            ("a,b\n1,\"2\n", "line 2"),
            ("a,a\n1,2\n", "line 1"),
            ("", "file"),
            ("a,b\n", "line 1"),
        ])
    func csvProblems(text: String, field: String) {
        do {
            _ = try UploadedTable.read(Array(text.utf8), source: "up.csv", maxRows: 10)
            Issue.record("\(text.debugDescription) was accepted")
        } catch let error as GatewayError {
            #expect(error.status == .badRequest)
            #expect(error.fields.first?.field == field)
            #expect(error.message.hasPrefix("up.csv"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("CSV: more rows than allowed is a 413")
    func csvLimit() throws {
        let text = "a\n" + (1...4).map(String.init).joined(separator: "\n")
        #expect(throws: GatewayError.self) { try UploadedTable.read(Array(text.utf8), source: "a.csv", maxRows: 3) }
        do {
            _ = try UploadedTable.read(Array(text.utf8), source: "a.csv", maxRows: 3)
        } catch let error as GatewayError {
            #expect(error.status == .contentTooLarge)
            #expect(error.code == "too_many_rows")
        }
        #expect(try UploadedTable.read(Array(text.utf8), source: "a.csv", maxRows: 4).rowCount == 4)
    }

    @Test("CSV fields of the ranking download are quoted when needed")
    func csvQuote() {
        #expect(CSVField.quote("plain") == "plain")
        #expect(CSVField.quote("a,b") == "\"a,b\"")
        #expect(CSVField.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVField.quote("two\nlines") == "\"two\nlines\"")
    }

    @Test("URL-encoded forms: plus, percent escapes, repeated and empty fields")
    func formFields() {
        let form = FormFields(urlEncoded: ByteBuffer(string: "a=1+2&b=%C3%A9t%C3%A9%21&c=&a=3&d=%zz"))
        #expect(form["a"] == "3")
        #expect(form["b"] == "été!")
        #expect(form["c"] == "")
        #expect(form["d"] == "%zz")
        #expect(form["e"] == nil)
    }

    @Test(
        "page forms (Hummingbird's decoder): plus and percent escapes; a repeated field or a bad escape is a 400 naming it"
    )
    func pageForm() throws {
        let form = try PageForm(urlEncoded: ByteBuffer(string: "token=a+b&model_name=%C3%A9t%C3%A9%21&empty="))
        #expect(form["token"] == "a b")
        #expect(form["model_name"] == "été!")
        #expect(form["empty"] == "")
        #expect(form["missing"] == nil)
        #expect(try PageForm(urlEncoded: ByteBuffer()).values.isEmpty)
        do {
            _ = try PageForm(urlEncoded: ByteBuffer(string: "token=1&token=2"))
            Issue.record("a repeated field must be refused")
        } catch let error as GatewayError {
            #expect(error.status == .badRequest)
            #expect(error.message.contains("token"))
        }
        do {
            _ = try PageForm(urlEncoded: ByteBuffer(string: "csv=%zz"))
            Issue.record("a bad percent escape must be refused")
        } catch let error as GatewayError {
            #expect(error.status == .badRequest)
            #expect(error.message.contains("%zz"))
        }
    }

    @Test("multipart: parts with names, file names and content (which may contain CRLF)")
    func multipart() throws {
        #expect(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"xyz\"") == "xyz")
        #expect(MultipartForm.boundary(contentType: "application/json") == nil)
        let body =
            "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx,y\r\n1,2\r\n--xyz\r\n"
            + "Content-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--xyz--\r\n"
        let form = try MultipartForm(body: Array(body.utf8), boundary: "xyz")
        #expect(form.parts.map(\.name) == ["file", "note"])
        #expect(form.part("file")?.filename == "a.csv")
        #expect(form.part("file").map { String(decoding: $0.bytes, as: UTF8.self) } == "x,y\r\n1,2")
        #expect(form.part("note").map { String(decoding: $0.bytes, as: UTF8.self) } == "hello")
        #expect(throws: GatewayError.self) {
            try MultipartForm(body: Array("--xyz\r\nno header end".utf8), boundary: "xyz")
        }
        #expect(throws: GatewayError.self) { try MultipartForm(body: Array("nothing".utf8), boundary: "xyz") }
    }

    static let fields = [
        ModelInfoField(
            name: "Age", kind: .numeric, valueType: PredictColumn.numberType, numericFill: 37, minimum: 18, maximum: 92),
        ModelInfoField(
            name: "Geography", kind: .categorical, valueType: PredictColumn.textType,
            categories: ["France", "Germany", "Spain"], fill: "France"),
        ModelInfoField(
            name: "HasCrCard", kind: .binary, valueType: PredictColumn.numberType, categories: ["0", "1"], fill: "1"),
    ]

    @Test("rows from JSON: numbers, text, nulls become typed columns")
    func encodeJSON() {
        let rows: [[String: JSONValue]] = [
            ["Age": .number(42), "Geography": .string("Spain"), "HasCrCard": .number(1), "Extra": .string("ignored")],
            ["Age": .null, "Geography": .null, "HasCrCard": .number(0)],
        ]
        let outcome = RowEncoder(fields: Self.fields).encode(rowCount: 2) { row, field in
            rows[row][Self.fields[field].name].map(RowEncoder.Input.json) ?? .absent
        }
        guard case .columns(let columns) = outcome else {
            Issue.record("expected columns, got \(outcome)")
            return
        }
        #expect(
            columns == [
                .numbers("Age", [42, nil]), .texts("Geography", ["Spain", nil]), .numbers("HasCrCard", [1, 0]),
            ])
    }

    @Test("rows from JSON: every bad value named by row and column")
    func encodeJSONProblems() {
        let rows: [[String: JSONValue]] = [
            ["Age": .string("42"), "Geography": .bool(true), "HasCrCard": .number(1)],
            ["Geography": .string("France"), "HasCrCard": .array([])],
        ]
        let outcome = RowEncoder(fields: Self.fields).encode(rowCount: 2) { row, field in
            rows[row][Self.fields[field].name].map(RowEncoder.Input.json) ?? .absent
        }
        guard case .problems(let problems) = outcome else {
            Issue.record("expected problems")
            return
        }
        #expect(
            problems.map(\.field).sorted() == ["rows[0].Age", "rows[0].Geography", "rows[1].Age", "rows[1].HasCrCard"])
        #expect(problems.first { $0.field == "rows[1].Age" }?.message.hasPrefix("missing") == true)
    }

    @Test("form text: empty is an error, categories must be known, decimals with spaces are fine")
    func encodeForm() {
        var encoder = RowEncoder(fields: Self.fields)
        encoder.emptyTextIsMissing = false
        encoder.strictCategories = true
        let good = encoder.encode(rowCount: 1) { _, field in .text([" 42.5 ", "Germany", "0"][field]) }
        guard case .columns(let columns) = good else {
            Issue.record("expected columns")
            return
        }
        #expect(columns == [.numbers("Age", [42.5]), .texts("Geography", ["Germany"]), .numbers("HasCrCard", [0])])
        let bad = encoder.encode(rowCount: 1) { _, field in .text(["", "Mars", "2"][field]) }
        guard case .problems(let problems) = bad else {
            Issue.record("expected problems")
            return
        }
        #expect(problems.map(\.column) == ["Age", "Geography", "HasCrCard"])
        for text in ["nan", "inf", "0x1p3", "1e400", "4 2"] {
            let outcome = encoder.encode(rowCount: 1) { _, field in .text([Substring(text), "France", "1"][field]) }
            if case .columns = outcome { Issue.record("\(text) was taken as a number") }
        }
    }

    @Test("calibration from a ROC curve: counts per bin by hand")
    func calibration() {
        // 4 positives, 6 negatives. Scores: positives 0.95, 0.85, 0.55, 0.15; negatives 0.75, 0.45, 0.35, 0.25, 0.15, 0.05.
        // ROC points (threshold, fpr, tpr), one per distinct score, from the top:
        let roc: [BundleEvaluation.Point] = [
            .init(x: 0, y: 0, threshold: .greatestFiniteMagnitude),
            .init(x: 0, y: 0.25, threshold: 0.95), .init(x: 0, y: 0.5, threshold: 0.85),
            .init(x: 1.0 / 6, y: 0.5, threshold: 0.75), .init(x: 1.0 / 6, y: 0.75, threshold: 0.55),
            .init(x: 2.0 / 6, y: 0.75, threshold: 0.45), .init(x: 3.0 / 6, y: 0.75, threshold: 0.35),
            .init(x: 4.0 / 6, y: 0.75, threshold: 0.25), .init(x: 5.0 / 6, y: 1, threshold: 0.15),
            .init(x: 1, y: 1, threshold: 0.05),
        ]
        let bins = CalibrationBins.derive(roc: roc, positives: 4, negatives: 6, bins: 5)
        // Bins of 0.2: [0,.2): 0.15 pos, 0.15 neg, 0.05 neg → 3 rows, 1/3 churned; [.2,.4): 0.25, 0.35 neg → 0;
        // [.4,.6): 0.45 neg, 0.55 pos → 1/2; [.6,.8): 0.75 neg → 0; [.8,1]: 0.85, 0.95 pos → 1.
        #expect(bins.map(\.rows) == [3, 2, 2, 1, 2])
        let observed = [1.0 / 3, 0, 0.5, 0, 1]
        #expect(bins.count == observed.count)
        for (bin, expected) in zip(bins, observed) { #expect(abs(bin.observed - expected) < 1e-9) }
        #expect(bins.map(\.lower) == [0, 0.2, 0.4, 0.6, 0.8])
        #expect(CalibrationBins.derive(roc: [], positives: 1, negatives: 1, bins: 10).isEmpty)
    }

    @Test("risk bands split at t/2, t and (1+t)/2")
    func riskBands() {
        #expect(RiskBand(probability: 0.24, threshold: 0.5) == .low)
        #expect(RiskBand(probability: 0.25, threshold: 0.5) == .moderate)
        #expect(RiskBand(probability: 0.5, threshold: 0.5) == .high)
        #expect(RiskBand(probability: 0.75, threshold: 0.5) == .veryHigh)
        #expect(RiskBand(probability: 0.15, threshold: 0.2) == .moderate)
        #expect(RiskBand(probability: 0.61, threshold: 0.2) == .veryHigh)
    }

    @Test("number formatting: fixed decimals, percentages, integral values, ticks")
    func numbers() {
        #expect(NumberText.fixed(0.23456, 2) == "0.23")
        #expect(NumberText.fixed(-1.005, 1) == "-1.0")
        #expect(NumberText.fixed(2.5, 0) == "3")
        #expect(NumberText.fixed(-0.0001, 2) == "0.00")
        #expect(NumberText.fixed(1e300, 2) == "\(1e300)")
        #expect(NumberText.percent(0.2341) == "23.4%")
        #expect(NumberText.format(42) == "42")
        #expect(NumberText.format(42.5) == "42.5")
        #expect(LineChart.ticks(0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(LineChart.ticks(1...100) == [20, 40, 60, 80, 100])
        #expect(LineChart.label(0.30000000000000004) == "0.3")
    }

    @Test("HTML escaping and path segments")
    func html() {
        #expect(HTML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTML.pathSegment("a b/c") == "a%20b%2Fc")
    }
}
