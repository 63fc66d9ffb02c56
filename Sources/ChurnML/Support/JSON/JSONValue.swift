/// Any JSON value, as read by ``JSONParser`` or built by a writer, without a fixed shape, so that
/// every reader (safetensors headers, the gateway's API, bundle evaluations, registry event
/// payloads) can check the shape itself and report exactly which part was wrong.
///
/// Numbers keep the text they were written as (``JSONNumber``), so an integer is exact however
/// large and a decimal converts to the nearest binary64 only when asked. Objects keep their members
/// in source order and never hold a key twice (``JSONObject``).
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(JSONNumber)
    /// A string, with escapes decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object(JSONObject)
}

extension JSONValue: Encodable {
    /// Encodes the value with an `Encoder` (the registry writes event payloads through
    /// `JSONEncoder` with sorted keys); integers as integers, other numbers as `Double`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let number):
            if let integer = number.integer {
                try container.encode(integer)
            } else {
                try container.encode(number.double)
            }
        case .string(let value): try container.encode(value)
        case .array(let items): try container.encode(items)
        case .object(let object): try container.encode(object.dictionary)
        }
    }
}

extension JSONValue {
    /// An integer number value.
    public static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// A binary64 number value (NaN and infinities are allowed here: an `Encoder` decides how to
    /// write them).
    public static func double(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }

    /// An integer, or `null` for nil.
    public static func optional(_ value: Int?) -> JSONValue {
        value.map { .integer($0) } ?? .null
    }
}
