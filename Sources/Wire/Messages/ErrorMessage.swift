import NIOCore

/// Error body (kind 2; wire.md §3.2). Body: `u16 code`, `string message`, `optional<string> field`.
///
/// Carries the correlation id and opcode of the request it answers, or 0/0x0000 for a
/// connection-level error that answers no request (sent just before closing).
public struct ErrorMessage: WireMessage, Error {
    /// The error code.
    public var code: WireErrorCode
    /// Human-readable explanation.
    public var message: String
    /// The field, column or row the error is about, when there is one.
    public var field: String?

    /// Creates an error body.
    public init(code: WireErrorCode, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public init(from reader: inout WireReader) throws {
        code = WireErrorCode(rawValue: try reader.integer("code"))
        message = try reader.string("message")
        field = try reader.optional("field") { try $0.string("field") }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(code.rawValue)
        buffer.writeWireString(message)
        buffer.writeWireOptional(field) { $0.writeWireString($1) }
    }
}
