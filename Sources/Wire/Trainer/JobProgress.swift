/// One finished epoch of a job: the payload of a `job.progress` event and a job record's latest
/// progress (wire.md §14).
public struct JobProgress: Codable, Sendable, Equatable {
    /// The job.
    public var jobID: Int64
    /// 1-based epoch number.
    public var epoch: Int
    /// Planned number of epochs.
    public var epochs: Int
    /// Mean (weighted) binary cross-entropy over the epoch's training batches.
    public var loss: Double
    /// Loss on the validation rows, when the job has a validation split.
    public var validationLoss: Double?
    /// Accuracy on the validation rows, when the job has a validation split.
    public var validationAccuracy: Double?
    /// Seconds since training started.
    public var elapsedSeconds: Double

    public init(
        jobID: Int64, epoch: Int, epochs: Int, loss: Double, validationLoss: Double?, validationAccuracy: Double?,
        elapsedSeconds: Double
    ) {
        self.jobID = jobID
        self.epoch = epoch
        self.epochs = epochs
        self.loss = loss
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.elapsedSeconds = elapsedSeconds
    }

    /// The JSON keys (the same as `churn train`'s epoch report, plus `job_id`).
    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case epoch, epochs, loss
        case validationLoss = "validation_loss"
        case validationAccuracy = "validation_accuracy"
        case elapsedSeconds = "elapsed_seconds"
    }
}
