/// One training job as the trainer reports it: what to train, where it is, and what it produced
/// (wire.md §14). The answer of SubmitJob, JobStatus and CancelJob, and the payload of `job.state`.
public struct JobRecord: Codable, Sendable, Equatable {
    /// Trainer-assigned id, increasing.
    public var id: Int64
    /// The dataset reference (`name` or `name@sha256`).
    public var dataset: String
    /// The model name the job publishes under.
    public var modelName: String
    /// Every training option, seed included, with the trainer's snake_case keys.
    public var options: [String: JobOptionValue]
    /// The binary target column, when named explicitly.
    public var target: String?
    /// Tags the model is published with.
    public var tags: [String: String]
    /// Current state.
    public var state: JobState
    /// Why the job failed.
    public var error: String?
    /// Informational notes (e.g. re-queued after a restart).
    public var notes: [String]
    /// How many times the job has been started.
    public var attempts: Int
    /// When the job was accepted, milliseconds since the epoch.
    public var submittedMillis: Int64
    /// When the current or last attempt started.
    public var startedMillis: Int64?
    /// When the job finished.
    public var finishedMillis: Int64?
    /// The last finished epoch.
    public var progress: JobProgress?
    /// What the job produced, once it succeeded.
    public var result: JobOutcome?

    public init(
        id: Int64, dataset: String, modelName: String, options: [String: JobOptionValue], target: String?,
        tags: [String: String], state: JobState, error: String?, notes: [String], attempts: Int, submittedMillis: Int64,
        startedMillis: Int64?, finishedMillis: Int64?, progress: JobProgress?, result: JobOutcome?
    ) {
        self.id = id
        self.dataset = dataset
        self.modelName = modelName
        self.options = options
        self.target = target
        self.tags = tags
        self.state = state
        self.error = error
        self.notes = notes
        self.attempts = attempts
        self.submittedMillis = submittedMillis
        self.startedMillis = startedMillis
        self.finishedMillis = finishedMillis
        self.progress = progress
        self.result = result
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case id, dataset
        case modelName = "model_name"
        case options, target, tags, state, error, notes, attempts
        case submittedMillis = "submitted_ms"
        case startedMillis = "started_ms"
        case finishedMillis = "finished_ms"
        case progress, result
    }
}
