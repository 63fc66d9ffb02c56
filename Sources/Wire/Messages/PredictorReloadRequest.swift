/// PredictorReload request, opcode 0x0302 (wire.md §13.4), state-changing (needs the token when
/// one is configured). Body: empty. Asks the predictor to load its model source again now.
public struct PredictorReloadRequest: WireRequestMessage, WireEmptyMessage {
    public typealias Response = PredictorReloadResponse
    /// 0x0302.
    public static let opcode = Opcode.predictorReload

    public init() {}
}
