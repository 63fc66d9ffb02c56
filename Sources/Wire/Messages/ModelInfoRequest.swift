/// ModelInfo request, opcode 0x0301 (wire.md §13.3). Body: empty.
public struct ModelInfoRequest: WireRequestMessage, WireEmptyMessage {
    /// The response type.
    public typealias Response = ModelInfoResponse
    /// 0x0301.
    public static let opcode = Opcode.modelInfo

    /// Creates the request.
    public init() {}
}
