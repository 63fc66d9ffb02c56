import NIOCore

/// Subscribe request, opcode 0x0010 (wire.md §6.1).
///
/// Body: `list<string> topics (1…64, each ≤ 256 bytes; "*" = all)`, `optional<u64> fromSequence`.
/// With `fromSequence` the server first replays retained events with sequence ≥ it, then live
/// ones; without, only events published after the subscription. Events arrive as kind-3 frames
/// with opcode 0x0010 and this request's correlation id.
public struct SubscribeRequest: WireRequestMessage {
    public typealias Response = SubscribeResponse
    /// 0x0010.
    public static let opcode = Opcode.subscribe

    /// Topics to receive; `*` matches every topic.
    public var topics: [String]
    /// First sequence number wanted, or nil for live events only.
    public var fromSequence: UInt64?

    /// Creates a Subscribe.
    public init(topics: [String], fromSequence: UInt64? = nil) {
        self.topics = topics
        self.fromSequence = fromSequence
    }

    public init(from reader: inout WireReader) throws {
        topics = try reader.list("topics", maxCount: WireProtocol.maxTopics, minimumItemSize: 4) {
            try $0.string("topics[]", maxLength: WireProtocol.maxTopicLength)
        }
        guard !topics.isEmpty else {
            throw WireError.invalidValue(field: "topics", value: 0)
        }
        fromSequence = try reader.optional("fromSequence") { try $0.integer("fromSequence") }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireList(topics) { $0.writeWireString($1) }
        buffer.writeWireOptional(fromSequence) { $0.writeInteger($1) }
    }
}
