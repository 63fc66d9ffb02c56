import NIOCore

/// Unsubscribe request, opcode 0x0011 (wire.md §6.2). Body: `u32 subscriptionID`, the correlation
/// id of the Subscribe to end. Unknown ids answer `notFound`.
public struct UnsubscribeRequest: WireRequestMessage {
    public typealias Response = UnsubscribeResponse
    /// 0x0011.
    public static let opcode = Opcode.unsubscribe

    /// Correlation id of the Subscribe request.
    public var subscriptionID: UInt32

    /// Creates an Unsubscribe.
    public init(subscriptionID: UInt32) { self.subscriptionID = subscriptionID }

    public init(from reader: inout WireReader) throws { subscriptionID = try reader.integer("subscriptionID") }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(subscriptionID) }
}
