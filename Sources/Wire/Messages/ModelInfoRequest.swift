/// ModelInfo request, opcode 0x0301 (wire.md §13.3). Body: empty.
public struct ModelInfoRequest: WireRequestMessage, WireEmptyMessage {
    public typealias Response = ModelInfoResponse
    /// 0x0301.
    public static let opcode = Opcode.modelInfo

    public init() {}
}
