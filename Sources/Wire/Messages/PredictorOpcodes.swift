extension Opcode {
    /// 0x0300 Predict — wire.md §13.2: score a batch of raw rows (read-only).
    public static let predict = Opcode(rawValue: 0x0300)
    /// 0x0301 ModelInfo — wire.md §13.3: what the predictor serves (read-only).
    public static let modelInfo = Opcode(rawValue: 0x0301)
    /// 0x0302 PredictorReload — wire.md §13.4: reload the model from its source (changes state).
    public static let predictorReload = Opcode(rawValue: 0x0302)
    /// 0x0303 PredictorDrift — wire.md §13.5: drift of the live inputs and scores (read-only).
    public static let predictorDrift = Opcode(rawValue: 0x0303)

    /// The opcodes of the predictor role, in order.
    public static let predictor: [Opcode] = [.predict, .modelInfo, .predictorReload, .predictorDrift]
}
