/// PredictorDrift request, opcode 0x0303 (wire.md §13.5), read-only. Body: empty. Asks how far the
/// served model's live inputs and scores moved from its training distribution.
public struct PredictorDriftRequest: WireRequestMessage, WireEmptyMessage {
    public typealias Response = PredictorDriftResponse
    /// 0x0303.
    public static let opcode = Opcode.predictorDrift

    public init() {}
}
