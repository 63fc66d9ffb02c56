/// A parsed JSON value from a safetensors header.
///
/// Integers are kept exact: a number literal without a fraction or exponent that fits in `Int`
/// is an ``integer``; every other number keeps its source text in ``otherNumber`` (the header
/// only needs integers, so other numbers are only ever reported, never computed with). Object
/// members keep their order; duplicate keys are rejected by the parser.
enum SafetensorsJSON: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer literal that fits in `Int`.
    case integer(Int)
    /// Any other number, as written.
    case otherNumber(String)
    /// A string, with escapes decoded.
    case string(String)
    /// An array.
    case array([SafetensorsJSON])
    /// An object's members in source order.
    case object([(key: String, value: SafetensorsJSON)])

    /// A short rendering for error messages: the literal for scalars, a type name otherwise.
    var summary: String {
        switch self {
        case .null: return "null"
        case let .bool(value): return value ? "true" : "false"
        case let .integer(value): return String(value)
        case let .otherNumber(text): return text
        case let .string(text): return text.count <= 40 ? "\"\(text)\"" : "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
