/// What one finished epoch achieved, reported to progress observers (progress bars, job events).
public struct EpochReport: Codable, Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Planned number of epochs.
    public var epochs: Int
    /// Mean (weighted) binary cross-entropy over the epoch's training batches.
    public var loss: Double
    /// Loss on the validation rows, when there are any.
    public var validationLoss: Double?
    /// Accuracy at the configured threshold on the validation rows, when there are any.
    public var validationAccuracy: Double?
    /// Seconds since training started.
    public var elapsedSeconds: Double

    /// Snake-case keys for JSON.
    enum CodingKeys: String, CodingKey {
        case epoch, epochs, loss
        case validationLoss = "validation_loss"
        case validationAccuracy = "validation_accuracy"
        case elapsedSeconds = "elapsed_seconds"
    }
}
