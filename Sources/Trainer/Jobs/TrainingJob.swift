import ChurnML
import Wire

/// One training job: what to train, how it went, and what it produced. Stored durably, so a job
/// accepted by the trainer is never silently lost: after a crash it is re-run or marked failed.
public struct TrainingJob: Codable, Sendable, Equatable {
    /// Trainer-assigned id, increasing.
    public var id: Int64
    /// A random identity (32 hex digits) unique across trainers and job stores: the job's publish
    /// carries idempotency keys derived from it, and its model version is tagged
    /// `trainer.job_uid` with it, so a re-run after a trainer died does not publish twice. Nil
    /// for jobs stored before it existed.
    public var uid: String?
    /// The dataset to train on: a registry reference (`name` or `name@sha256`).
    public var dataset: String
    /// The model name to publish under.
    public var modelName: String
    /// Every training option, seed included.
    public var configuration: TrainingConfiguration
    /// The binary target column, when not inferred.
    public var target: String?
    /// Tags to publish the model with.
    public var tags: [String: String]
    /// Current state.
    public var state: JobState
    /// Why the job failed (or a note on how it was recovered).
    public var error: String?
    /// Informational notes (e.g. "re-run after the trainer restarted").
    public var notes: [String]
    /// How many times the job has been started.
    public var attempts: Int
    /// Milliseconds since the epoch when the job was accepted.
    public var submittedMillis: Int64
    /// When the current or last attempt started.
    public var startedMillis: Int64?
    /// When the job finished.
    public var finishedMillis: Int64?
    /// The last finished epoch.
    public var progress: EpochReport?
    /// What the job produced, once it succeeded.
    public var result: JobResult?

    /// A new queued job.
    public init(
        dataset: String, modelName: String, configuration: TrainingConfiguration, target: String? = nil,
        tags: [String: String] = [:], submittedMillis: Int64
    ) {
        self.id = 0
        self.uid = IdempotencyKey.random().description
        self.dataset = dataset
        self.modelName = modelName
        self.configuration = configuration
        self.target = target
        self.tags = tags
        self.state = .queued
        self.error = nil
        self.notes = []
        self.attempts = 0
        self.submittedMillis = submittedMillis
        self.startedMillis = nil
        self.finishedMillis = nil
        self.progress = nil
        self.result = nil
    }

    /// Snake-case keys for JSON.
    enum CodingKeys: String, CodingKey {
        case id, uid, dataset
        case modelName = "model_name"
        case configuration, target, tags, state, error, notes, attempts
        case submittedMillis = "submitted_ms"
        case startedMillis = "started_ms"
        case finishedMillis = "finished_ms"
        case progress, result
    }
}

/// What a successful job produced.
public struct JobResult: Codable, Sendable, Equatable {
    /// SHA-256 of the dataset file trained on.
    public var datasetSHA256: String
    /// SHA-256 of the bundle file.
    public var bundleSHA256: String
    /// The published version, when the job published to a registry.
    public var modelVersion: Int?
    /// Metrics on the held-out test rows.
    public var testMetrics: ClassificationMetrics?
    /// Seconds in the training loop.
    public var trainSeconds: Double
    /// Epochs run.
    public var epochsRun: Int
    /// Milliseconds spent fetching (and verifying) the dataset.
    public var fetchMillis: Double?
    /// Milliseconds spent parsing, training, evaluating and encoding — what `churn train` does.
    public var trainMillis: Double?
    /// Milliseconds spent on the promotion evaluation and publishing.
    public var publishMillis: Double?
    /// What the promotion policy decided, when the backend has one.
    public var promotion: PromotionDecision?

    public init(
        datasetSHA256: String, bundleSHA256: String, modelVersion: Int?, testMetrics: ClassificationMetrics?,
        trainSeconds: Double, epochsRun: Int, fetchMillis: Double? = nil, trainMillis: Double? = nil,
        publishMillis: Double? = nil, promotion: PromotionDecision? = nil
    ) {
        self.datasetSHA256 = datasetSHA256
        self.bundleSHA256 = bundleSHA256
        self.modelVersion = modelVersion
        self.testMetrics = testMetrics
        self.trainSeconds = trainSeconds
        self.epochsRun = epochsRun
        self.fetchMillis = fetchMillis
        self.trainMillis = trainMillis
        self.publishMillis = publishMillis
        self.promotion = promotion
    }

    /// Snake-case keys for JSON.
    enum CodingKeys: String, CodingKey {
        case datasetSHA256 = "dataset_sha256"
        case bundleSHA256 = "bundle_sha256"
        case modelVersion = "model_version"
        case testMetrics = "test_metrics"
        case trainSeconds = "train_seconds"
        case epochsRun = "epochs_run"
        case fetchMillis = "fetch_ms"
        case trainMillis = "train_ms"
        case publishMillis = "publish_ms"
        case promotion
    }
}
