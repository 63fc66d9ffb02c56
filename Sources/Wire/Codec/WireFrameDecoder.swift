import NIOCore

/// Splits a byte stream into ``WireFrame``s (wire.md §2 and §9).
///
/// Returns `nil` until a whole frame is buffered. The length prefix is checked against
/// ``maxFrameLength`` as soon as its four bytes arrive — before the body is waited for — so a
/// hostile length never makes a receiver buffer or allocate more than the limit. The body is a
/// slice of the cumulation buffer (no copy). Version, kind and opcode are not judged here: that is
/// the receiver's policy (wire.md §9).
public struct WireFrameDecoder: NIOSingleStepByteToMessageDecoder {
    /// Decoded output.
    public typealias InboundOut = WireFrame

    /// Largest accepted value of the length field; the receiver may raise it after Hello.
    public var maxFrameLength: Int

    /// Creates a decoder with the given limit.
    public init(maxFrameLength: Int = WireProtocol.defaultMaxFrameLength) {
        self.maxFrameLength = maxFrameLength
    }

    /// Decodes one frame, returns `nil` when more bytes are needed, throws ``WireError`` for a
    /// length outside `8...maxFrameLength`.
    public mutating func decode(buffer: inout ByteBuffer) throws -> WireFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return nil
        }
        guard length >= UInt32(WireProtocol.headerSize) else {
            throw WireError.frameTooShort(length: length)
        }
        guard UInt64(length) <= UInt64(max(0, maxFrameLength)) else {
            throw WireError.frameTooLarge(length: length, limit: maxFrameLength)
        }
        guard buffer.readableBytes - WireProtocol.lengthFieldSize >= Int(length) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: WireProtocol.lengthFieldSize)
        guard
            let (version, kind, opcode, correlationID) = buffer.readMultipleIntegers(
                as: (UInt8, UInt8, UInt16, UInt32).self
            ),
            let body = buffer.readSlice(length: Int(length) - WireProtocol.headerSize)
        else {
            // Unreachable: both lengths were checked above.
            throw WireError.truncated(field: "frame", needed: Int(length), available: buffer.readableBytes)
        }
        let header = FrameHeader(
            version: version,
            kind: FrameKind(rawValue: kind),
            opcode: Opcode(rawValue: opcode),
            correlationID: correlationID
        )
        return WireFrame(header: header, body: body)
    }

    /// At end of stream, decodes any remaining whole frames; a trailing partial frame is dropped.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> WireFrame? {
        try decode(buffer: &buffer)
    }
}
