/// Health request, opcode 0x0004 (wire.md §5.4). Empty body.
public struct HealthRequest: WireRequestMessage, WireEmptyMessage {
    public typealias Response = HealthResponse
    /// 0x0004.
    public static let opcode = Opcode.health

    public init() {}
}
