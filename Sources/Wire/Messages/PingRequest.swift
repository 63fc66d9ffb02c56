import NIOCore

/// Ping request, opcode 0x0002 (wire.md §5.2). Body: `u64 payload`, echoed by the response.
public struct PingRequest: WireRequestMessage {
    public typealias Response = PingResponse
    /// 0x0002.
    public static let opcode = Opcode.ping

    /// Opaque value the server echoes (a client may put a timestamp here).
    public var payload: UInt64

    /// Creates a Ping.
    public init(payload: UInt64 = 0) { self.payload = payload }

    public init(from reader: inout WireReader) throws { payload = try reader.integer("payload") }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(payload) }
}
