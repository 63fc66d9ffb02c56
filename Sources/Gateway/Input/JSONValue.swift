/// Any JSON value (from ``JSONParser``), without a fixed shape, so that every problem in a request
/// can be reported by the gateway itself, naming the field.
enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number (JSON numbers are read as binary64).
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object (keys in no particular order).
    case object([String: JSONValue])

    /// A short description of the value's kind and content for error messages
    /// (`text "abc"`, `the number 3`, `true`, `an array`, `an object`, `null`).
    var described: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "the number \(NumberText.format(value))"
        case .string(let value): "text \"\(value.count > 40 ? String(value.prefix(40)) + "…" : value)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
