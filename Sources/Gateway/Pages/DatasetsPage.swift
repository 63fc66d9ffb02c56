import ChurnML
import Foundation
import Hummingbird
import NIOCore
import Wire

/// The datasets pages: `GET /datasets` lists every pushed dataset and its versions with a short
/// profile and an upload form; `POST /datasets` streams an uploaded file to the registry
/// (``DatasetPusher``; the form's `name` and `token` fields must come before the `file` part, as the
/// page's form sends them); `GET /datasets/{ref}` shows one version's whole profile;
/// `POST /datasets/{ref}/train` starts a training job on it and goes to the job's page.
struct DatasetsPage: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Who may upload and train.
    let tokens: TokenGuard
    /// Streaming uploads to the registry.
    let pusher: DatasetPusher
    /// Submitting training jobs.
    let jobs: JobsAPI

    /// Multipart overhead allowed above `--max-upload-bytes` before a `Content-Length` is refused at once.
    static let formSlack = 64 * 1024

    /// `GET /datasets`.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        await list(notice: "", values: [:], status: .ok)
    }

    /// `POST /datasets`: a multipart form with `name`, `token` (when one is configured), `description`
    /// (optional) and then `file`; the file is streamed to the registry, then the new version's page is shown.
    func upload(_ request: Request, context: some RequestContext) async throws -> Response {
        var values: [String: String] = [:]
        do {
            guard let boundary = MultipartForm.boundary(contentType: request.headers[.contentType] ?? "") else {
                throw GatewayError.invalidInput(
                    "send the form as multipart/form-data",
                    fields: [FieldError(field: "body", message: "not multipart/form-data")])
            }
            let limit = pusher.configuration.maxUploadBytes
            if let announced = request.headers[.contentLength].flatMap({ Int($0) }), announced > limit + Self.formSlack
            {
                throw DatasetPusher.tooLarge(limit)
            }
            let reader = MultipartReader(body: request.body.makeAsyncIterator(), boundary: boundary)
            let (fields, filename) = try await reader.fieldsBeforeFile(file: "file")
            values = fields
            try tokens.check(fields["token"])
            let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespaces)
            try DatasetPusher.checkName(name)
            guard filename != nil else {
                throw GatewayError.invalidInput(
                    "choose a CSV file",
                    fields: [
                        FieldError(
                            field: "file", message: "no file (the name and token fields come first, then the file)")
                    ])
            }
            let record = try await pusher.push(
                name: name, description: fields["description"] ?? "", chunks: reader.fileBytes())
            try? await reader.finish()
            return Reply.redirect("/datasets/\(Self.reference(record))?pushed=1")
        } catch {
            let failure = GatewayError.from(error, role: "registry")
            var notice = "Not pushed: \(HTML.escape(failure.message))"
            if !failure.fields.isEmpty {
                notice +=
                    "<ul id=\"problems\">"
                    + failure.fields.prefix(20).map { "<li>\(HTML.escape($0.field)): \(HTML.escape($0.message))</li>" }
                    .joined() + "</ul>"
            }
            values["token"] = nil
            return await list(notice: HTML.notice("error", notice), values: values, status: failure.status)
        }
    }

    /// `GET /datasets/{ref}`: one version (`name`, `name@sha256prefix`) with its whole profile.
    func detail(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try context.parameters.require("ref")
        let notice =
            request.uri.queryParameters["pushed"] != nil
            ? HTML.notice("ok", "Pushed. The registry read the file and profiled it:") : ""
        return await detail(reference: reference, notice: notice, status: .ok)
    }

    /// `POST /datasets/{ref}/train`: submits a training job on that version (token field), then
    /// redirects to the job's page.
    func train(_ request: Request, context: some RequestContext) async throws -> Response {
        let reference = try context.parameters.require("ref")
        let form = try PageForm(urlEncoded: try await RequestBodies.collect(request, limit: 64 * 1024))
        do {
            try tokens.check(form["token"])
            let record = try await backends.withRegistry { try await $0.dataset(reference) }
            let model = String(NumberText.trim(Substring(form["model_name"] ?? record.name)))
            guard !model.isEmpty else {
                throw GatewayError.invalidInput(
                    "give the model a name", fields: [FieldError(field: "model_name", message: "empty")])
            }
            let job = try await jobs.submit(
                SubmitJobRequest(dataset: "\(record.name)@\(record.sha256)", modelName: model))
            return Reply.redirect("/training/\(job.id)")
        } catch {
            let failure = GatewayError.from(error, role: "trainer")
            return await detail(
                reference: reference, notice: HTML.notice("error", "Not started: \(HTML.escape(failure.message))"),
                status: failure.status)
        }
    }

    /// `name@sha256` of a record, for links.
    static func reference(_ record: DatasetRecord) -> String {
        "\(HTML.pathSegment(record.name))@\(HTML.pathSegment(record.sha256))"
    }

    /// The list page.
    private func list(notice: String, values: [String: String], status: HTTPResponse.Status) async -> Response {
        var body =
            "<h1>Datasets</h1>" + notice
            + Self.uploadForm(
                values: values, tokenRequired: tokens.isRequired, limit: pusher.configuration.maxUploadBytes)
        do {
            let records = try await backends.withRegistry { try await $0.datasets() }
            body += Self.table(records, canTrain: backends.trainer != nil, tokenRequired: tokens.isRequired)
        } catch {
            let failure = GatewayError.from(error, role: "registry")
            body += HTML.notice("error", "The registry cannot be read: \(HTML.escape(failure.message))")
            return Reply.html(
                HTML.page(title: "Datasets", active: "/datasets", body: body),
                status: status == .ok ? failure.status : status)
        }
        return Reply.html(HTML.page(title: "Datasets", active: "/datasets", body: body), status: status)
    }

    /// The detail page.
    private func detail(reference: String, notice: String, status: HTTPResponse.Status) async -> Response {
        let record: DatasetRecord
        do {
            record = try await backends.withRegistry { try await $0.dataset(reference) }
        } catch {
            let failure = GatewayError.from(error, role: "registry")
            let body = "<h1>Dataset</h1>" + notice + HTML.notice("error", HTML.escape(failure.message))
            return Reply.html(HTML.page(title: "Dataset", active: "/datasets", body: body), status: failure.status)
        }
        var body =
            "<h1>Dataset \(HTML.escape(record.name)) <span class=\"muted\">@\(HTML.escape(String(record.sha256.prefix(12))))</span></h1>"
            + notice
        body += """
            <section class="card"><p>sha256 <code id="dataset-sha">\(HTML.escape(record.sha256))</code> · \(GroupedNumber.text(Int(record.size))) bytes · pushed \
            \(HTML.escape(String(record.created.prefix(19)).replacingT()))\(record.description.isEmpty ? "" : " · " + HTML.escape(record.description))</p>
            """
        if let error = record.schemaError {
            body += "<p class=\"muted\">No schema could be inferred: \(HTML.escape(error))</p>"
        }
        body +=
            Self.trainForm(record, canTrain: backends.trainer != nil, tokenRequired: tokens.isRequired, detailed: true)
            + "</section>"
        body += DatasetProfileHTML.full(record)
        return Reply.html(HTML.page(title: "Dataset \(record.name)", active: "/datasets", body: body), status: status)
    }

    /// The upload form: name, token, description, then the file (that order matters to the streaming reader).
    static func uploadForm(values: [String: String], tokenRequired: Bool, limit: Int) -> String {
        var html = """
            <form class="card" id="dataset-form" method="post" action="/datasets" enctype="multipart/form-data"><h2>Push a dataset</h2><div class="form-grid">
            <div class="field"><label for="dataset-name">Name</label><input id="dataset-name" name="name" value="\(HTML.escape(values["name"] ?? ""))" placeholder="customers" required><span class="hint">letters, digits, . _ -; a new version when the name exists</span></div>
            <div class="field"><label for="dataset-description">Description</label><input id="dataset-description" name="description" value="\(HTML.escape(values["description"] ?? ""))"></div>
            """
        if tokenRequired {
            html +=
                "<div class=\"field\"><label for=\"dataset-token\">Token</label><input type=\"password\" id=\"dataset-token\" name=\"token\" autocomplete=\"off\"></div>"
        }
        html += """
            <div class="field"><label for="dataset-file">CSV file</label><input type="file" id="dataset-file" name="file" accept=".csv,.tsv,.txt,.gz,text/csv"><span class="hint">any delimiter, gzip allowed; up to \(limit / (1024 * 1024)) MiB</span></div>
            </div><p><button type="submit" id="dataset-button">Push</button></p></form>
            """
        return html
    }

    /// Every dataset name with its versions, newest first.
    static func table(_ records: [DatasetRecord], canTrain: Bool, tokenRequired: Bool) -> String {
        guard !records.isEmpty else {
            return "<section class=\"card\"><p class=\"muted\" id=\"no-datasets\">No dataset yet.</p></section>"
        }
        var names: [String] = []
        for record in records where !names.contains(record.name) { names.append(record.name) }
        var html = ""
        for name in names {
            let versions = records.filter { $0.name == name }.sorted { $0.createdMillis > $1.createdMillis }
            html +=
                "<section class=\"card dataset\"><h2>\(HTML.escape(name))</h2><table class=\"datasets\"><thead><tr><th>version</th><th>pushed</th><th class=\"num\">rows</th><th class=\"num\">columns</th><th>dialect</th><th>target</th><th>flags</th><th></th></tr></thead><tbody>"
            for record in versions {
                let profile = DatasetProfileHTML.profile(record)
                let flags =
                    profile.map {
                        $0.flags.isEmpty ? "–" : $0.flags.prefix(3).map { HTML.escape($0) }.joined(separator: "<br>")
                    } ?? "–"
                html += """
                    <tr><td><a class="dataset-link" href="/datasets/\(reference(record))">\(HTML.escape(String(record.sha256.prefix(12))))</a></td>\
                    <td>\(HTML.escape(String(record.created.prefix(19)).replacingT()))</td><td class="num">\(record.rows)</td><td class="num">\(record.columns.count)</td>\
                    <td>\(HTML.escape(DatasetProfileHTML.dialect(record)))</td><td>\(profile.map(DatasetProfileHTML.target) ?? "–")</td><td>\(flags)</td>\
                    <td>\(trainForm(record, canTrain: canTrain, tokenRequired: tokenRequired, detailed: false))</td></tr>
                    """
            }
            html += "</tbody></table></section>"
        }
        return html
    }

    /// The "Train" button (with the token field when one is needed, and on the detail page the model name).
    static func trainForm(_ record: DatasetRecord, canTrain: Bool, tokenRequired: Bool, detailed: Bool) -> String {
        guard canTrain else {
            return detailed
                ? "<p class=\"muted\">Training needs a gateway started with <code>--trainer</code>.</p>" : ""
        }
        var html =
            "<form class=\"train-form\" method=\"post\" action=\"/datasets/\(reference(record))/train\" style=\"display:flex;gap:6px;align-items:center;margin:0\">"
        if detailed {
            html +=
                "<label for=\"train-model\" style=\"margin:0\">Model</label><input id=\"train-model\" name=\"model_name\" value=\"\(HTML.escape(record.name))\" style=\"width:12em\">"
        }
        if tokenRequired {
            html +=
                "<input type=\"password\" name=\"token\" placeholder=\"token\" autocomplete=\"off\" style=\"width:9em\" aria-label=\"token\">"
        }
        return html + "<button type=\"submit\" class=\"train-button\">Train</button></form>"
    }
}
