import ChurnML
import Hummingbird
import NIOCore
import Wire

/// `POST /api/v1/datasets?name=NAME[&description=TEXT][&delimiter=,|;|tab|pipe]`: pushes the raw CSV
/// body (any size up to `--max-upload-bytes`, any dialect the reader detects, gzip allowed) as a
/// dataset, streaming it to the registry as it arrives.
struct DatasetsAPI: Sendable {
    /// Who may push.
    let tokens: TokenGuard
    /// Streaming to the registry.
    let pusher: DatasetPusher

    /// 201 with the dataset record (dialect and profile included); 400 for a bad name or a CSV the
    /// registry refuses (its message names the line and column); 401/403 without the right token; 413
    /// over the limit (at once when `Content-Length` says so).
    func push(_ request: Request, context: some RequestContext) async throws -> Response {
        try tokens.check(TokenGuard.bearer(request))
        guard let name = request.uri.queryParameters["name"].map(String.init), !name.isEmpty else {
            throw GatewayError.invalidInput(
                "give the dataset a name", fields: [FieldError(field: "name", message: "missing, e.g. ?name=customers")]
            )
        }
        try DatasetPusher.checkName(name)
        let description = request.uri.queryParameters["description"].map(String.init) ?? ""
        let delimiter = try request.uri.queryParameters["delimiter"].map { name -> String in
            guard let byte = CSVDialect.delimiter(named: String(name)) else {
                throw GatewayError.invalidInput(
                    "\"\(RowEncoder.short(name))\" is not a CSV delimiter",
                    fields: [
                        FieldError(
                            field: "delimiter",
                            message: "one of , ; tab | (or comma, semicolon, pipe); omit it to detect")
                    ])
            }
            return String(decoding: [byte], as: UTF8.self)
        }
        let limit = pusher.configuration.maxUploadBytes
        let announced = request.headers[.contentLength].flatMap { Int($0) }
        if let announced, announced > limit { throw DatasetPusher.tooLarge(limit) }
        let body = CountedBody(base: request.body, expected: announced, limit: limit)
        let record = try await pusher.push(name: name, description: description, delimiter: delimiter, chunks: body)
        return Reply.json(record, status: .created)
    }
}
