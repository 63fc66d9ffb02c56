import NIOCore

/// Subscribe response (wire.md §6.1). Body: `u64 headSequence` — the last sequence number
/// assigned so far (0 when none), so a client can tell replay from live events.
public struct SubscribeResponse: WireMessage {
    /// Last assigned sequence number at subscription time.
    public var headSequence: UInt64

    /// Creates a Subscribe response.
    public init(headSequence: UInt64) { self.headSequence = headSequence }

    public init(from reader: inout WireReader) throws { headSequence = try reader.integer("headSequence") }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(headSequence) }
}
