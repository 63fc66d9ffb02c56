/// One published model version as the index knows it, with its tags, metrics and the aliases
/// that point at it.
public struct ModelVersion: Sendable, Equatable, Codable {
    /// The model name.
    public var name: String
    /// The version number (1, 2, …; monotonic per name, never reused).
    public var version: Int
    /// SHA-256 (hex) of the bundle file, its blob address.
    public var bundleSHA256: String
    /// Size of the bundle file in bytes.
    public var bundleSize: Int64
    /// SHA-256 (hex) of the data the model was trained on, from the bundle's lineage.
    public var datasetSHA256: String
    /// When it was published, in milliseconds since the epoch.
    public var createdMillis: Int64
    /// The publisher's description.
    public var description: String
    /// The bundle's decision threshold.
    public var threshold: Double
    /// The training configuration from the bundle's lineage, as JSON.
    public var hyperparameters: String
    /// The bundle's whole lineage record, as JSON.
    public var lineage: String
    /// Publisher tags.
    public var tags: [String: String]
    /// Test metrics from the bundle (`accuracy`, `precision`, `recall`, `f1`, `roc_auc`, `pr_auc`,
    /// `log_loss`, `brier`; those that are defined).
    public var metrics: [String: Double]
    /// Aliases pointing at this version, sorted.
    public var aliases: [String]
    /// The index's row id (the registry's own; used to attach tags, metrics and aliases; not encoded).
    public var rowID: Int64 = 0

    /// When it was published, ISO 8601 UTC.
    public var created: String { Timestamp.iso8601(millis: createdMillis) }

    /// `name@version`.
    public var reference: String { "\(name)@\(version)" }

    public init(
        name: String, version: Int, bundleSHA256: String, bundleSize: Int64, datasetSHA256: String,
        createdMillis: Int64, description: String, threshold: Double, hyperparameters: String, lineage: String,
        tags: [String: String], metrics: [String: Double], aliases: [String], rowID: Int64
    ) {
        self.name = name
        self.version = version
        self.bundleSHA256 = bundleSHA256
        self.bundleSize = bundleSize
        self.datasetSHA256 = datasetSHA256
        self.createdMillis = createdMillis
        self.description = description
        self.threshold = threshold
        self.hyperparameters = hyperparameters
        self.lineage = lineage
        self.tags = tags
        self.metrics = metrics
        self.aliases = aliases
        self.rowID = rowID
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case name, version
        case bundleSHA256 = "bundle_sha256"
        case bundleSize = "bundle_size"
        case datasetSHA256 = "dataset_sha256"
        case createdMillis = "created_ms"
        case description, threshold
        case hyperparameters, lineage, tags, metrics, aliases
    }
}
