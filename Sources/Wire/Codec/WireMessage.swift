import NIOCore

/// A message body type of wire.md §5–§7: decode and encode side by side.
public protocol WireMessage: Sendable, Hashable {
    /// Decodes the fields from `reader`; must not check for trailing bytes (``decode(from:)`` does).
    init(from reader: inout WireReader) throws

    /// Appends the encoded fields to `buffer`.
    func encode(into buffer: inout ByteBuffer)
}

/// A request body with its opcode and response type.
public protocol WireRequestMessage: WireMessage {
    /// The response body type.
    associatedtype Response: WireMessage
    /// The opcode carried in the header.
    static var opcode: Opcode { get }
}

extension WireMessage {
    /// Decodes a whole body, rejecting trailing bytes.
    public static func decode(from body: ByteBuffer) throws -> Self {
        var reader = WireReader(body)
        let message = try Self(from: &reader)
        try reader.finish()
        return message
    }

    /// Encodes the body alone into a fresh buffer.
    public func encodedBody(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        encode(into: &buffer)
        return buffer
    }
}

/// A message with no fields (Stats, Health and Unsubscribe responses…).
public protocol WireEmptyMessage: WireMessage {
    init()
}

extension WireEmptyMessage {
    /// Reads nothing.
    public init(from reader: inout WireReader) throws { self.init() }
    /// Writes nothing.
    public func encode(into buffer: inout ByteBuffer) {}
}
