/// Where a model came from: enough to reproduce it and to trace it back to its data.
public struct Lineage: Codable, Sendable, Equatable {
    /// SHA-256 (hex) of the training data file's bytes.
    public var datasetSHA256: String
    /// The data file's name as given to `churn train` (or the registry's dataset name).
    public var datasetSource: String
    /// Rows in the data file.
    public var datasetRows: Int
    /// Rows used to fit the network.
    public var trainRows: Int
    /// Rows held out for per-epoch validation.
    public var validationRows: Int
    /// Rows held out for the final test evaluation.
    public var testRows: Int
    /// The full training configuration, seed included.
    public var configuration: TrainingConfiguration
    /// Epochs actually run (fewer than configured when early stopping fired).
    public var epochsRun: Int
    /// Mean training loss of each epoch.
    public var lossHistory: [Double]
    /// Validation loss of each epoch, when there was a validation split.
    public var validationLossHistory: [Double]?
    /// When the bundle was made, ISO 8601 UTC (e.g. `2026-11-25T14:03:00Z`).
    public var created: String
    /// `churn` version that made the bundle.
    public var toolVersion: String

    /// Snake-case keys for the bundle's JSON.
    enum CodingKeys: String, CodingKey {
        case datasetSHA256 = "dataset_sha256"
        case datasetSource = "dataset_source"
        case datasetRows = "dataset_rows"
        case trainRows = "train_rows"
        case validationRows = "validation_rows"
        case testRows = "test_rows"
        case configuration
        case epochsRun = "epochs_run"
        case lossHistory = "loss_history"
        case validationLossHistory = "validation_loss_history"
        case created
        case toolVersion = "tool_version"
    }
}
