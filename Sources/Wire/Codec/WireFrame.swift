import NIOCore

/// One decoded frame: header plus the undecoded body bytes (wire.md §2).
public struct WireFrame: Hashable, Sendable {
    /// The fixed header.
    public var header: FrameHeader
    /// The body; decode it with the message type the opcode and kind name.
    public var body: ByteBuffer

    /// Creates a frame.
    public init(header: FrameHeader, body: ByteBuffer) {
        self.header = header
        self.body = body
    }

    /// Writes this frame (length prefix, header, body) to `buffer`.
    public func encode(into buffer: inout ByteBuffer) {
        var body = self.body
        Self.write(header, into: &buffer) { $0.writeBuffer(&body) }
    }

    /// Writes a frame whose body is produced in place by `writeBody`, without an intermediate buffer.
    ///
    /// The length prefix is back-filled after the body is written.
    @inlinable
    public static func write(
        _ header: FrameHeader,
        into buffer: inout ByteBuffer,
        writeBody: (inout ByteBuffer) throws -> Void
    ) rethrows {
        let start = buffer.writerIndex
        // Length (patched below), version, kind, opcode, correlation id.
        buffer.writeMultipleIntegers(
            UInt32(0), header.version, header.kind.rawValue, header.opcode.rawValue, header.correlationID
        )
        try writeBody(&buffer)
        let length = buffer.writerIndex - start - WireProtocol.lengthFieldSize
        buffer.setInteger(UInt32(truncatingIfNeeded: length), at: start)
    }

    /// Writes a frame carrying `message` as its body.
    @inlinable
    public static func write<M: WireMessage>(_ message: M, header: FrameHeader, into buffer: inout ByteBuffer) {
        write(header, into: &buffer) { message.encode(into: &$0) }
    }
}
