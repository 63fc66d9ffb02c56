import Foundation

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
