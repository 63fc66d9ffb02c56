import Foundation

/// A small JSON value for event payloads.
enum JSONValue: Encodable, Sendable, Equatable {
    /// A string.
    case string(String)
    /// An integer.
    case integer(Int64)
    /// A number.
    case number(Double)
    /// `null`.
    case null
    /// An object.
    case object([String: JSONValue])

    /// Encodes the value.
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .null: try container.encodeNil()
        case .object(let value): try container.encode(value)
        }
    }

    /// An integer, or `null` for nil.
    static func optional(_ value: Int?) -> JSONValue {
        value.map { .integer(Int64($0)) } ?? .null
    }
}

/// Canonical JSON text (sorted keys, slashes unescaped) for index columns and event payloads.
enum JSONText {
    /// `value` as JSON text.
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw RegistryError.invalidArgument("cannot encode JSON: \(error)")
        }
    }
}

/// Decodes JSON text stored in the index.
enum JSONDecoderBox {
    /// Decodes `text` as `type`.
    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
