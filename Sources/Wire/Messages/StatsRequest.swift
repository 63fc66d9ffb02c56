/// Stats request, opcode 0x0003 (wire.md §5.3). Empty body.
public struct StatsRequest: WireRequestMessage, WireEmptyMessage {
    public typealias Response = StatsResponse
    /// 0x0003.
    public static let opcode = Opcode.stats

    public init() {}
}
