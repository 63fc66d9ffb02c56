import NIOCore

/// Ping response (wire.md §5.2). Body: `u64 payload`, equal to the request's.
public struct PingResponse: WireMessage {
    /// The echoed value.
    public var payload: UInt64

    /// Creates a Ping response.
    public init(payload: UInt64) { self.payload = payload }

    public init(from reader: inout WireReader) throws { payload = try reader.integer("payload") }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(payload) }
}
