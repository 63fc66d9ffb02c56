import ChurnML
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Wire

@testable import Gateway

/// The HTML pages, in-process: the predict form, batch scoring, models and promotion.
@Suite("Gateway pages")
struct PageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// The URL-encoded form of row `index`'s model columns, with `changes` applied.
    static func formBody(row index: Int, changes: [String: String] = [:]) throws -> ByteBuffer {
        let bundle = try GatewayTestData.bundle.get()
        let columns = Set(bundle.schema.columns.filter { $0.role != .id && $0.role != .target }.map(\.name))
        let pairs = zip(GatewayTestData.lines.header, GatewayTestData.lines.rows[index]).filter {
            columns.contains($0.0)
        }.map { column, value in
            let text = changes[column] ?? value
            return column + "=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text)
        }
        return ByteBuffer(string: pairs.joined(separator: "&"))
    }

    @Test("the form has an input per model column: numbers with ranges, dropdowns for categories")
    func form() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/predict")
            let page = try await client.execute(uri: "/predict", method: .get)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("<input type=\"number\" step=\"any\" id=\"field-Age\" name=\"Age\""))
            #expect(html.contains("<select id=\"field-Geography\" name=\"Geography\""))
            for country in ["France", "Germany", "Spain"] { #expect(html.contains("<option value=\"\(country)\"")) }
            #expect(html.contains("training range"))
            #expect(!html.contains("id=\"result\""))
        }
    }

    @Test("submitting shows the probability the model computes, label, risk band and factors")
    func submit() async throws {
        let expected = try GatewayTestData.offline([5])[0]
        try await GatewayFixture.withGateway { client, _ in
            let page = try await client.execute(
                uri: "/predict", method: .post, headers: Self.form, body: try Self.formBody(row: 5))
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("data-probability=\"\(expected)\""))
            #expect(html.contains(">\(NumberText.fixed(Double(expected) * 100, 2))%<"))
            #expect(html.contains("id=\"gauge\""))
            #expect(html.contains("id=\"factors-chart\""))
            #expect(html.contains("compared with an average customer"))
            #expect(html.contains("id=\"risk\""))
        }
    }

    @Test("empty or non-numeric fields are shown next to the field and nothing is sent to the predictor")
    func fieldErrors() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            let wire = try await WireClient.connect(host: "127.0.0.1", port: fixture.predictor.port)
            let count = { (stats: StatsResponse) in
                stats.requestsByOpcode.first { $0.opcode == Opcode.predict }?.count ?? 0
            }
            let before = count(try await wire.send(StatsRequest()))
            let page = try await client.execute(
                uri: "/predict", method: .post, headers: Self.form,
                body: try Self.formBody(row: 0, changes: ["Age": "abc", "CreditScore": "", "Geography": "Mars"]))
            #expect(page.status == .badRequest)
            let html = page.text
            #expect(
                html.contains(
                    "<span class=\"field-error\" id=\"error-field-Age\">&quot;abc&quot; is not a number</span>"))
            #expect(html.contains("<span class=\"field-error\" id=\"error-field-CreditScore\">enter a number</span>"))
            #expect(html.contains("id=\"error-field-Geography\""))
            #expect(html.contains("id=\"field-Age\" name=\"Age\" value=\"abc\" aria-invalid=\"true\""))
            #expect(!html.contains("id=\"result\""))
            #expect(count(try await wire.send(StatsRequest())) == before)
            await wire.close()
        }
    }

    @Test("models page lists versions with aliases; the version page draws its charts")
    func models() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let list = try await client.execute(uri: "/models", method: .get)
            #expect(list.status == .ok)
            #expect(list.text.contains("<a href=\"/models/churn/1\">churn v1</a>"))
            #expect(list.text.contains("<span class=\"badge alias\">production</span>"))
            let page = try await client.execute(uri: "/models/churn/1", method: .get)
            #expect(page.status == .ok)
            for id in ["confusion-matrix", "roc-chart", "pr-chart", "calibration-chart", "loss-chart"] {
                #expect(page.text.contains("<svg id=\"\(id)\""), "\(id)")
            }
            #expect(page.text.contains("This version is in production."))
            // The retention insights stored in the bundle: importance bars in the bundle's order, lift,
            // gains, profit and one segment table per feature column.
            let bundle = try GatewayTestData.bundle.get()
            let insights = try #require(bundle.insights)
            for id in ["importance-chart", "lift-chart", "gains-chart", "profit-chart", "lift-table"] {
                #expect(page.text.contains("id=\"\(id)\""), "\(id)")
            }
            let importance = try #require(insights.importance)
            let positions = importance.columns.compactMap { column in
                page.text.range(of: ">\(column.column)</text><rect class=\"bar\"")?.lowerBound
            }
            #expect(positions.count == importance.columns.count)
            #expect(positions == positions.sorted())
            #expect(
                page.text.components(separatedBy: "<table class=\"segments\">").count - 1
                    == insights.segments.groups.count)
            #expect(page.text.contains("\(insights.lift.deciles[0].churners)</td>"))
            let missing = try await client.execute(uri: "/models/churn/7", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test("the Monitoring tab: no rows at first, then the PSI of each column and the score as SVG bars and a table")
    func monitoring() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            var page = try await client.execute(uri: "/models/churn/1/monitoring", method: .get)
            #expect(page.status == .ok)
            #expect(
                page.text.contains("<a class=\"active\" aria-current=\"page\" href=\"/models/churn/1/monitoring\">"))
            #expect(page.text.contains("<p id=\"drift-summary\">0 rows in the predictor's window"), "\(page.text)")
            #expect(!page.text.contains("<script"), "works without JavaScript")

            // Every test row through the JSON API, then the monitor counts them.
            let rows = min(2000, GatewayTestData.lines.rows.count)
            for start in stride(from: 0, to: rows, by: 100) {
                let body = GatewayTestData.json(["rows": (start..<min(start + 100, rows)).map(GatewayTestData.jsonRow)])
                let answer = try await client.execute(
                    uri: "/api/v1/predict", method: .post, headers: [.contentType: "application/json"], body: body)
                #expect(answer.status == .ok)
            }
            fixture.drift.drain()
            page = try await client.execute(uri: "/models/churn/1/monitoring", method: .get)
            let report = try #require(fixture.drift.report)
            #expect(report.rows == rows)
            #expect(
                page.text.contains("<p id=\"drift-summary\">\(rows) rows in the predictor's window"), "\(page.text)")
            #expect(page.text.contains("<svg id=\"drift-chart\""))
            for entry in report.columns + [report.score] {
                let psi = String(format: "%.3f", entry.index ?? -1)
                #expect(
                    page.text.contains(
                        "<th>\(entry.name)</th><td class=\"num\">\(psi)</td><td>\(entry.level.rawValue)</td>"),
                    "\(entry.name) \(psi)")
            }
            let overview = try await client.execute(uri: "/models/churn/1", method: .get)
            #expect(overview.text.contains("<a href=\"/models/churn/1/monitoring\">Monitoring</a>"))

            // Another bundle published as v2: not what the predictor serves.
            var second = try GatewayTestData.bundle.get()
            second.threshold = 0.4
            let registry = try await fixture.registryClient()
            _ = try await registry.publishModel(bundle: try BundleCodec.encode(second), name: "churn")
            await registry.close()
            let other = try await client.execute(uri: "/models/churn/2/monitoring", method: .get)
            #expect(other.text.contains("another bundle than this version's"), "\(other.text)")
            let missing = try await client.execute(uri: "/models/churn/9/monitoring", method: .get)
            #expect(missing.text.contains("class=\"notice info\""), "\(missing.text)")
        }
    }

    @Test("promote: refused without the token or with a wrong one, done with the right one")
    func promote() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            var second = try GatewayTestData.bundle.get()
            second.threshold = 0.4
            let registry = try await fixture.registryClient()
            _ = try await registry.publishModel(bundle: try BundleCodec.encode(second), name: "churn")
            let page = try await client.execute(uri: "/models/churn/2", method: .get)
            #expect(page.text.contains("id=\"promote-form\""))
            #expect(page.text.contains("type=\"password\" id=\"token\""))
            let none = try await client.execute(
                uri: "/models/churn/2/promote", method: .post, headers: Self.form, body: ByteBuffer(string: ""))
            #expect(none.status == .unauthorized)
            #expect(none.text.contains("Not promoted"))
            let wrong = try await client.execute(
                uri: "/models/churn/2/promote", method: .post, headers: Self.form,
                body: ByteBuffer(string: "token=nope"))
            #expect(wrong.status == .forbidden)
            #expect(try await registry.model("churn@production").version.version == 1)
            let right = try await client.execute(
                uri: "/models/churn/2/promote", method: .post, headers: Self.form,
                body: ByteBuffer(string: "token=\(GatewayFixture.token)"))
            #expect(right.status == .seeOther)
            #expect(right.headers[.location] == "/models/churn/2?promoted=1")
            #expect(try await registry.model("churn@production").version.version == 2)
            await registry.close()
        }
    }

    /// A multipart body holding `csv` as the `file` field.
    static func upload(_ csv: String) -> (HTTPFields, ByteBuffer) {
        let boundary = "----churn-test-boundary"
        let body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"customers.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + csv + "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n--\(boundary)--\r\n"
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
    }

    @Test("batch: an uploaded CSV is ranked by probability; the download has every row, riskiest first")
    func batch() async throws {
        let indices = Array(10..<40)
        let expected = try GatewayTestData.offline(indices)
        let csv = ([GatewayTestData.lines.header] + indices.map { GatewayTestData.lines.rows[$0] })
            .map { $0.joined(separator: ",") }.joined(separator: "\r\n")
        try await GatewayFixture.withGateway { client, _ in
            let (headers, body) = Self.upload(csv)
            let page = try await client.execute(uri: "/batch", method: .post, headers: headers, body: body)
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"ranking\""))
            let threshold = try GatewayTestData.bundle.get().threshold
            let churners = expected.filter { Double($0) >= threshold }.count
            #expect(page.text.contains(">\(churners) of \(indices.count)<"))
            let link = try #require(
                page.text.range(of: #"/batch/[0-9a-f-]+\.csv"#, options: .regularExpression).map {
                    String(page.text[$0])
                })
            let download = try await client.execute(uri: link, method: .get)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.contains("attachment") == true)
            let lines = download.text.split(separator: "\r\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            #expect(lines.count == indices.count + 1)
            let probabilityColumn = try #require(lines.first?.firstIndex(of: "churn_probability"))
            let lineColumn = try #require(lines.first?.firstIndex(of: "line"))
            let got = lines.dropFirst().compactMap { Float($0[probabilityColumn]) }
            #expect(got == expected.sorted(by: >))
            // Each row's probability belongs to its own input line (line 2 is the first data row).
            for fields in lines.dropFirst() {
                let line = Int(fields[lineColumn]) ?? 0
                #expect(Float(fields[probabilityColumn]) == expected[line - 2])
            }
        }
    }

    @Test("batch: a missing column or a bad value is named, with its line")
    func batchErrors() async throws {
        let header = GatewayTestData.lines.header
        try await GatewayFixture.withGateway { client, _ in
            let withoutAge = ([header] + [GatewayTestData.lines.rows[0]]).map { fields in
                zip(header, fields).filter { $0.0 != "Age" }.map(\.1).joined(separator: ",")
            }.joined(separator: "\n")
            let (headers, body) = Self.upload(withoutAge)
            let missing = try await client.execute(uri: "/batch", method: .post, headers: headers, body: body)
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("lacks a column the model needs: Age"))
            var rows = [GatewayTestData.lines.rows[0], GatewayTestData.lines.rows[1]]
            if let age = header.firstIndex(of: "Age") { rows[1][age] = "old" }
            let (badHeaders, badBody) = Self.upload(
                ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n"))
            let bad = try await client.execute(uri: "/batch", method: .post, headers: badHeaders, body: badBody)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("<li>line 3, Age: &quot;old&quot; is not a number</li>"))
        }
    }
}
