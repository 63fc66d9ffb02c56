/// Where a training job is in its life.
public enum JobState: String, Codable, Sendable, CaseIterable {
    /// Accepted and waiting for a free slot.
    case queued
    /// Fetching data, training, evaluating or publishing.
    case running
    /// Finished: the model was published.
    case succeeded
    /// Finished with an error (the job record's `error` says why).
    case failed
    /// Stopped at the user's request.
    case cancelled

    /// Whether the job has ended.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .cancelled }
}
