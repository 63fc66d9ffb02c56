import ChurnML
import NIOCore
import Wire

/// The parsed body of `POST /api/v1/predict`: `{"rows":[{column: value, …}, …], "explain": k,
/// "unseen": "model"|"zeros"|"error"}`. Every shape problem becomes a ``FieldError`` naming its field.
struct PredictBody: Sendable {
    /// The rows, as JSON objects.
    var rows: [JSONObject]
    /// Factors per row to return (0 = none).
    var explain: Int
    /// The unseen-category policy.
    var unseen: PredictRequest.UnseenPolicy

    /// The accepted top-level keys.
    static let keys: Set<String> = ["rows", "explain", "unseen"]

    /// Parses and checks the body; throws a 400 ``GatewayError`` naming each bad field.
    init(json body: ByteBuffer, maxRows: Int, maxExplain: Int) throws {
        let value: JSONValue
        do {
            value = try JSONParser.parse(body.readableBytesView)
        } catch {
            throw GatewayError.invalidInput(
                "the body is not valid JSON", fields: [FieldError(field: "body", message: "\(error)")])
        }
        guard case .object(let object) = value else {
            throw GatewayError.invalidInput(
                "the body must be a JSON object",
                fields: [FieldError(field: "body", message: "expected {\"rows\":[…]}, got \(value.described)")])
        }
        var problems: [FieldError] = []
        for key in object.keys.sorted() where !Self.keys.contains(key) {
            problems.append(FieldError(field: key, message: "unknown key; the body takes rows, explain and unseen"))
        }
        var rows: [JSONObject] = []
        switch object["rows"] {
        case .array(let items) where items.isEmpty:
            problems.append(FieldError(field: "rows", message: "give at least one row"))
        case .array(let items) where items.count > maxRows:
            problems.append(FieldError(field: "rows", message: "\(items.count) rows; at most \(maxRows) per request"))
        case .array(let items):
            rows.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                if case .object(let row) = item {
                    rows.append(row)
                } else {
                    problems.append(
                        FieldError(
                            field: "rows[\(index)]", row: index,
                            message: "expected an object of column values, got \(item.described)"))
                }
            }
        case nil:
            problems.append(
                FieldError(field: "rows", message: "missing: give an array of rows, e.g. [{\"Age\": 42, …}]"))
        case .some(let other):
            problems.append(FieldError(field: "rows", message: "expected an array of rows, got \(other.described)"))
        }
        var explain = 0
        switch object["explain"] {
        case nil, .null:
            break
        case .number(let number)
        where number.double == number.double.rounded() && number.double >= 0 && number.double <= Double(maxExplain):
            explain = Int(number.double)
        case .some(let other):
            problems.append(
                FieldError(
                    field: "explain", message: "expected a whole number from 0 to \(maxExplain), got \(other.described)"
                ))
        }
        var unseen = PredictRequest.UnseenPolicy.modelDefault
        switch object["unseen"] {
        case nil, .null, .string("model"):
            break
        case .string("zeros"):
            unseen = .zeros
        case .string("error"):
            unseen = .error
        case .some(let other):
            problems.append(
                FieldError(
                    field: "unseen", message: "expected \"model\", \"zeros\" or \"error\", got \(other.described)"))
        }
        if !problems.isEmpty {
            throw GatewayError.invalidInput(
                "the request has \(problems.count == 1 ? "a problem" : "\(problems.count) problems")", fields: problems)
        }
        self.rows = rows
        self.explain = explain
        self.unseen = unseen
    }
}
