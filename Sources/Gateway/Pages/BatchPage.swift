import ChurnML
import Hummingbird
import NIOCore
import Wire

/// The batch page (`GET /batch`, `POST /batch`, `GET /batch/{id}.csv`): upload a CSV of customers,
/// see them ranked by churn risk with their top factors, download the ranking as CSV.
struct BatchPage: Sendable {
    /// Checking and scoring.
    let service: PredictionService
    /// Rankings kept for download.
    let batches: BatchStore
    /// Limits.
    let configuration: GatewayConfiguration
    /// Rows shown on the page (all are in the download).
    static let shownRows = 500
    /// Factors per row.
    static let explain = 3

    /// `GET /batch`: the upload form.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let info = try? await service.schema()
        return Reply.html(HTML.page(title: "Batch", active: "/batch", body: Self.heading + Self.form(info)))
    }

    /// `POST /batch`: scores the uploaded (or pasted) CSV.
    func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        let info = try? await service.schema()
        do {
            let table = try await Self.table(
                from: request, maxBytes: configuration.maxBodyBytes, maxRows: configuration.maxRows)
            return try await score(table)
        } catch {
            let failure = GatewayError.from(error, role: "predictor")
            var body = Self.heading + HTML.notice("error", HTML.escape(failure.message))
            if !failure.fields.isEmpty {
                let items = failure.fields.prefix(50).map {
                    "<li>\(HTML.escape(Self.place($0))): \(HTML.escape($0.message))</li>"
                }
                body += "<ul class=\"card\" id=\"problems\">\(items.joined())</ul>"
            }
            return Reply.html(
                HTML.page(title: "Batch", active: "/batch", body: body + Self.form(info)), status: failure.status)
        }
    }

    /// `GET /batch/{id}.csv`: a ranking scored earlier.
    func download(_ request: Request, context: some RequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        guard file.hasSuffix(".csv"), let bytes = await batches.get(String(file.dropLast(4))) else {
            throw GatewayError.notFound(
                "no such batch (only the latest \(batches.capacity) are kept); upload the file again")
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"churn-ranking.csv\"",
            ],
            body: ResponseBody(byteBuffer: buffer))
    }

    /// Where a problem is, for people: `line 7, Age` or the field.
    static func place(_ error: FieldError) -> String {
        if let column = error.column { return "\(error.field.hasPrefix("line") ? error.field : "row"), \(column)" }
        return error.field
    }

    /// The page heading.
    static let heading = "<h1>Score a file of customers</h1>"

    /// The upload form, naming the columns the model needs.
    static func form(_ info: ModelInfoResponse?) -> String {
        let columns =
            info.map {
                "<p class=\"muted\">The file needs a header line with these columns (others, such as ids, are kept but not used): <b>\($0.fields.map { HTML.escape($0.name) }.joined(separator: ", "))</b>. Empty cells are filled in as in training.</p>"
            } ?? ""
        return """
            <form class="card" id="batch-form" method="post" action="/batch" enctype="multipart/form-data">
            \(columns)
            <label for="file">CSV file</label><input type="file" id="file" name="file" accept=".csv,text/csv">
            <label for="csv" style="margin-top:12px">…or paste CSV text</label><textarea id="csv" name="csv" rows="5" placeholder="CreditScore,Geography,Gender,Age,…"></textarea>
            <p><button type="submit" id="batch-button">Rank by churn risk</button></p>
            </form>
            """
    }

    /// The table from a multipart upload (file, else the text field) or an URL-encoded `csv` field,
    /// read with ChurnML's CSV reader; more than `maxRows` rows is a 413.
    static func table(from request: Request, maxBytes: Int, maxRows: Int) async throws -> Table {
        let body = try await RequestBodies.collect(request, limit: maxBytes)
        let contentType = request.headers[.contentType] ?? ""
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            let form = try MultipartForm(body: Array(body.readableBytesView), boundary: boundary)
            if let file = form.part("file"), !file.bytes.isEmpty {
                let name = file.filename.flatMap { $0.isEmpty ? nil : $0 } ?? "upload.csv"
                return try UploadedTable.read(Array(file.bytes), source: name, maxRows: maxRows)
            }
            if let text = form.part("csv"), !text.bytes.isEmpty {
                return try UploadedTable.read(Array(text.bytes), source: "pasted text", maxRows: maxRows)
            }
        } else if let text = try PageForm(urlEncoded: body)["csv"], !text.isEmpty {
            return try UploadedTable.read(Array(text.utf8), source: "pasted text", maxRows: maxRows)
        }
        throw GatewayError.invalidInput(
            "choose a CSV file or paste CSV text", fields: [FieldError(field: "file", message: "no file")])
    }

    /// Checks, scores and ranks `table`.
    private func score(_ table: Table) async throws -> Response {
        let info = try await service.schema()
        var indices: [Int] = []
        var missing: [String] = []
        for field in info.fields {
            if let index = table.columnIndex(named: field.name) {
                indices.append(index)
            } else {
                missing.append(field.name)
            }
        }
        guard missing.isEmpty else {
            throw GatewayError.invalidInput(
                "the file lacks \(missing.count == 1 ? "a column" : "\(missing.count) columns") the model needs: \(missing.joined(separator: ", "))",
                fields: missing.map { FieldError(field: "header", column: $0, message: "missing column") })
        }
        let encoder = RowEncoder(fields: info.fields)
        let columns = indices.map { table.columns[$0] }
        let encoded = encoder.encode(
            rowCount: table.rowCount, value: { row, field in Self.input(columns[field], row) },
            place: { row, column in
                FieldError(field: "line \(table.lineNumbers[row])", row: row, column: column, message: "")
            })
        let predictColumns: [PredictColumn]
        switch encoded {
        case .columns(let value): predictColumns = value
        case .problems(let problems):
            throw GatewayError.invalidInput(
                "\(problems.count >= encoder.maxErrors ? "at least " : "")\(problems.count) values do not fit the model",
                fields: problems)
        }
        let scored = try await service.score(predictColumns, explain: Self.explain, unseen: .zeros)
        let ranking = BatchRanking(table: table, scored: scored, modelColumns: Set(info.fields.map(\.name)))
        let id = await batches.put(ranking.csv())
        let body = Self.heading + ranking.html(downloadPath: "/batch/\(id).csv", shown: Self.shownRows)
        return Reply.html(HTML.page(title: "Batch", active: "/batch", body: body + Self.form(info)))
    }

    /// One value of a read column for ``RowEncoder``: numbers as numbers, text as text, missing as null.
    static func input(_ column: ColumnData, _ row: Int) -> RowEncoder.Input {
        switch column {
        case .numeric(let values):
            if let value = values[row] { return .json(.double(value)) }
        case .text(let values):
            if let value = values[row] { return .text(Substring(value)) }
        }
        return .json(.null)
    }
}
