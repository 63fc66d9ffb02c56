import Foundation
import NIOCore

/// A message body holding one JSON document: `bytes json` (u32 length + UTF-8 JSON). The body of
/// every registry opcode, both ways (wire.md "Registry").
public struct JSONDocument: WireMessage {
    /// Largest document accepted (the default frame limit).
    public static let maxLength = WireProtocol.defaultMaxFrameLength - 16

    /// The UTF-8 JSON text.
    public var json: ByteBuffer

    /// Wraps JSON text.
    public init(json: ByteBuffer) { self.json = json }

    /// Encodes `value` as JSON (sorted keys; the types' own snake_case keys).
    public init<Value: Encodable>(encoding value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(value)
        var buffer = ByteBufferAllocator().buffer(capacity: data.count)
        buffer.writeBytes(data)
        json = buffer
    }

    /// Decodes the document as `type`; a malformed document throws ``WireError`` naming `json`.
    public func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(type, from: Data(json.readableBytesView))
        } catch let error as DecodingError {
            throw ErrorMessage(code: .invalidRequest, message: "JSON document: \(Self.explain(error))", field: "json")
        }
    }

    public init(from reader: inout WireReader) throws {
        json = try reader.bytes("json", maxLength: Self.maxLength)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireBytes(json)
    }

    /// A short description of a decoding failure.
    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "document" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\" in \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "invalid JSON at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
