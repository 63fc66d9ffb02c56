/// What a successful job produced, as the trainer reports it (wire.md §14).
public struct JobOutcome: Codable, Sendable, Equatable {
    /// SHA-256 (hex) of the dataset file trained on.
    public var datasetSHA256: String
    /// SHA-256 (hex) of the bundle file.
    public var bundleSHA256: String
    /// The published version, when the backend keeps versions (the registry does).
    public var modelVersion: Int?
    /// Test metrics on the held-out rows: `accuracy`, `precision`, `recall`, `f1`, `roc_auc`,
    /// `pr_auc`, `log_loss`, `brier` (those that are defined), exactly as the registry indexes them.
    public var metrics: [String: Double]
    /// Seconds in the training loop alone (as `churn train` reports `train_seconds`).
    public var trainSeconds: Double
    /// Epochs run.
    public var epochsRun: Int
    /// Milliseconds spent fetching (and verifying) the dataset.
    public var fetchMillis: Double?
    /// Milliseconds spent parsing, training, evaluating and encoding the bundle — what `churn train` does.
    public var trainMillis: Double?
    /// Milliseconds spent evaluating the promotion and publishing.
    public var publishMillis: Double?
    /// The promotion decision, when the backend applies a policy.
    public var promotion: PromotionDecision?

    public init(
        datasetSHA256: String, bundleSHA256: String, modelVersion: Int?, metrics: [String: Double],
        trainSeconds: Double,
        epochsRun: Int, fetchMillis: Double?, trainMillis: Double?, publishMillis: Double?,
        promotion: PromotionDecision?
    ) {
        self.datasetSHA256 = datasetSHA256
        self.bundleSHA256 = bundleSHA256
        self.modelVersion = modelVersion
        self.metrics = metrics
        self.trainSeconds = trainSeconds
        self.epochsRun = epochsRun
        self.fetchMillis = fetchMillis
        self.trainMillis = trainMillis
        self.publishMillis = publishMillis
        self.promotion = promotion
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case datasetSHA256 = "dataset_sha256"
        case bundleSHA256 = "bundle_sha256"
        case modelVersion = "model_version"
        case metrics
        case trainSeconds = "train_seconds"
        case epochsRun = "epochs_run"
        case fetchMillis = "fetch_ms"
        case trainMillis = "train_ms"
        case publishMillis = "publish_ms"
        case promotion
    }
}
