import ChurnML
import Hummingbird
import NIOCore
import Wire

/// `POST /api/v1/predict` and `GET /api/v1/model`: scoring rows as JSON, and the served model's
/// description (the schema a client should send).
struct PredictAPI: Sendable {
    /// Scoring.
    let service: PredictionService
    /// Limits.
    let configuration: GatewayConfiguration

    /// Handles `POST /api/v1/predict`.
    func predict(_ request: Request, context: some RequestContext) async throws -> Response {
        let body = try await RequestBodies.collect(request, limit: configuration.maxBodyBytes)
        let input = try PredictBody(json: body, maxRows: configuration.maxRows, maxExplain: configuration.maxExplain)
        let schema = try await service.schema()
        let encoder = RowEncoder(fields: schema.fields)
        let rows = input.rows
        let columns: [PredictColumn]
        switch encoder.encode(
            rowCount: rows.count,
            value: { row, field in
                rows[row][schema.fields[field].name].map(RowEncoder.Input.json) ?? .absent
            })
        {
        case .columns(let encoded): columns = encoded
        case .problems(let problems):
            throw GatewayError.invalidInput(
                "\(problems.count >= encoder.maxErrors ? "at least " : "")\(problems.count) value\(problems.count == 1 ? " does" : "s do") not fit the model \(schema.model) \(schema.version)",
                fields: problems)
        }
        let scored = try await service.score(columns, explain: input.explain, unseen: input.unseen)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: Self.answer(scored)))
    }

    /// The API's JSON for scored rows: `{"model":{"name","threshold","version"},"predictions":[{"factors":
    /// [{"column","contribution"}],"label","probability","risk"}],"warnings":[{"message","row","column","value"}]}`
    /// (keys sorted, as the other answers).
    static func answer(_ scored: Scored) -> ByteBuffer {
        var json = JSONWriter(capacity: 160 + 200 * scored.probabilities.count)
        json.raw("{")
        json.key("model")
        json.raw("{")
        json.key("name")
        json.string(scored.model)
        json.raw(",")
        json.key("threshold")
        json.number(scored.threshold)
        json.raw(",")
        json.key("version")
        json.string(scored.version)
        json.raw("},")
        json.key("predictions")
        json.raw("[")
        for index in scored.probabilities.indices {
            if index > 0 { json.raw(",") }
            let probability = scored.probabilities[index]
            json.raw("{")
            json.key("factors")
            json.raw("[")
            for (position, factor) in (index < scored.factors.count ? scored.factors[index] : []).enumerated() {
                if position > 0 { json.raw(",") }
                json.raw("{")
                json.key("column")
                json.string(factor.column)
                json.raw(",")
                json.key("contribution")
                json.number(factor.contribution)
                json.raw("}")
            }
            json.raw("],")
            json.key("label")
            json.integer(index < scored.labels.count && scored.labels[index] ? 1 : 0)
            json.raw(",")
            json.key("probability")
            json.number(probability)
            json.raw(",")
            json.key("risk")
            json.string(RiskBand(probability: Double(probability), threshold: scored.threshold).rawValue)
            json.raw("}")
        }
        json.raw("],")
        json.key("warnings")
        json.raw("[")
        for (index, warning) in scored.warnings.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{")
            json.key("column")
            json.string(warning.column)
            json.raw(",")
            json.key("message")
            json.string(warning.message)
            json.raw(",")
            json.key("row")
            json.integer(Int(warning.row))
            json.raw(",")
            json.key("value")
            json.string(warning.value)
            json.raw("}")
        }
        json.raw("]}\n")
        return json.buffer
    }

    /// The JSON description of the served model.
    struct ModelDescription: Encodable {
        /// One input column.
        struct Field: Encodable {
            /// Column name.
            var name: String
            /// `numeric`, `binary` or `categorical`.
            var kind: String
            /// The JSON type predict expects: `number` or `text`.
            var type: String
            /// Known levels (binary, categorical).
            var categories: [String]
            /// Level imputed for a missing value.
            var fill: String?
            /// Number imputed for a missing value (training median).
            var median: Double?
            /// Smallest training value.
            var minimum: Double?
            /// Largest training value.
            var maximum: Double?
        }
        /// Model name.
        var name: String
        /// Model version.
        var version: String
        /// Hex SHA-256 of the bundle file.
        var sha256: String
        /// Where the predictor loaded it from.
        var source: String
        /// Decision threshold.
        var threshold: Double
        /// The predicted column.
        var target: String
        /// The target value meaning "churned".
        var positiveLabel: String
        /// `zeros` or `error`.
        var unseenPolicy: String
        /// The input columns, in encoding order.
        var fields: [Field]
        /// Held-out metrics.
        var metrics: [String: Double]
        /// Provenance.
        var lineage: [String: String]

        /// Snake-case keys.
        enum CodingKeys: String, CodingKey {
            case name, version, sha256, source, threshold, target
            case positiveLabel = "positive_label"
            case unseenPolicy = "unseen_policy"
            case fields, metrics, lineage
        }
    }

    /// Handles `GET /api/v1/model`.
    func model(_ request: Request, context: some RequestContext) async throws -> Response {
        let info = try await service.schema()
        return Reply.json(Self.describe(info))
    }

    /// `numeric`, `binary` or `categorical`.
    static func kindName(_ kind: ModelInfoField.Kind) -> String {
        switch kind {
        case .numeric: "numeric"
        case .binary: "binary"
        case .categorical: "categorical"
        }
    }

    /// The JSON description of `info`.
    static func describe(_ info: ModelInfoResponse) -> ModelDescription {
        ModelDescription(
            name: info.model, version: info.version, sha256: info.sha256, source: info.source,
            threshold: info.threshold,
            target: info.target, positiveLabel: info.positiveLabel,
            unseenPolicy: info.unseenPolicy == .error ? "error" : "zeros",
            fields: info.fields.map { field in
                ModelDescription.Field(
                    name: field.name,
                    kind: kindName(field.kind),
                    type: field.valueType == PredictColumn.numberType ? "number" : "text", categories: field.categories,
                    fill: field.fill, median: field.numericFill, minimum: field.minimum, maximum: field.maximum)
            },
            metrics: Dictionary(info.metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
            lineage: Dictionary(info.lineage.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}
