import NIOCore

/// Event body (kind 3, opcode 0x0010; wire.md §6.3).
///
/// Body: `u64 sequence`, `string topic (≤ 256)`, `bytes payload` (`u32` length + raw bytes, bounded
/// only by the frame limit). Sequences are assigned by the publishing server, strictly increasing
/// across all topics; a subscriber resumes with `fromSequence = last seen + 1`.
public struct EventMessage: WireMessage {
    /// Server-wide sequence number.
    public var sequence: UInt64
    /// Topic the event was published on.
    public var topic: String
    /// Topic-defined payload.
    public var payload: ByteBuffer

    /// Creates an event.
    public init(sequence: UInt64, topic: String, payload: ByteBuffer) {
        self.sequence = sequence
        self.topic = topic
        self.payload = payload
    }

    public init(from reader: inout WireReader) throws {
        sequence = try reader.integer("sequence")
        topic = try reader.string("topic", maxLength: WireProtocol.maxTopicLength)
        payload = try reader.bytes("payload", maxLength: Int(UInt32.max))
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(sequence)
        buffer.writeWireString(topic)
        buffer.writeWireBytes(payload)
    }
}
