/// How a network is trained. The defaults are the reference recipe: Dense(6, relu) → Dense(6, relu)
/// → Dense(1, sigmoid), Adam(0.001), binary cross-entropy, batch 32, 100 epochs, Glorot-uniform init.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Hidden layer widths; the input width comes from the data and the output is one sigmoid unit.
    public var hiddenLayers: [Int] = [6, 6]
    /// Passes over the training rows (an upper bound when early stopping is on).
    public var epochs: Int = 100
    /// Rows per gradient step; the last batch of an epoch may be smaller.
    public var batchSize: Int = 32
    /// Optimiser settings.
    public var adam = AdamConfiguration()
    /// Seed of every random choice: split, initialisation and shuffling.
    public var seed: UInt64 = 0
    /// Share of rows held out for the final test evaluation (stratified), in [0, 1).
    public var testSplit: Double = 0.2
    /// Share of the remaining rows held out for per-epoch validation (stratified), in [0, 1).
    public var validationSplit: Double = 0
    /// Stop after this many epochs without a lower validation loss, restoring the best weights.
    /// Needs a validation split; nil disables early stopping.
    public var earlyStoppingPatience: Int?
    /// Per-class loss weights.
    public var classWeight: ClassWeightPolicy = .none
    /// OpenBLAS threads during training.
    public var threads: Int = 1
    /// Probability at or above which a customer is labelled as churning, when ``thresholdPolicy`` is nil.
    public var threshold: Double = 0.5
    /// How the bundle's threshold is chosen; nil keeps ``threshold`` (the same as `.fixed(threshold)`).
    public var thresholdPolicy: ThresholdPolicy?
    /// Campaign assumptions of the profit threshold and curve; nil means ``RetentionEconomics/defaults``.
    public var economics: RetentionEconomics?

    /// The reference recipe.
    public init() {}

    /// Checks every value and names the first one that is out of range.
    public func validate() throws {
        func fail(_ option: String, _ message: String) throws -> Never {
            throw TrainingError.invalidConfiguration(option: option, message: message)
        }
        if hiddenLayers.contains(where: { $0 <= 0 || $0 > 65_536 }) {
            try fail("layers", "every hidden layer needs between 1 and 65536 units, got \(hiddenLayers)")
        }
        if epochs < 1 || epochs > 1_000_000 { try fail("epochs", "must be between 1 and 1000000, got \(epochs)") }
        if batchSize < 1 || batchSize > 1_048_576 {
            try fail("batch-size", "must be between 1 and 1048576, got \(batchSize)")
        }
        if !(adam.learningRate > 0 && adam.learningRate.isFinite) {
            try fail("learning-rate", "must be a positive number, got \(adam.learningRate)")
        }
        if !(testSplit >= 0 && testSplit < 1) { try fail("test-split", "must be in [0, 1), got \(testSplit)") }
        if !(validationSplit >= 0 && validationSplit < 1) {
            try fail("validation-split", "must be in [0, 1), got \(validationSplit)")
        }
        if let patience = earlyStoppingPatience {
            if patience < 1 { try fail("early-stopping", "patience must be at least 1 epoch, got \(patience)") }
            if validationSplit == 0 {
                try fail("early-stopping", "needs a validation split (--validation-split 0.1, say)")
            }
        }
        if threads < 1 || threads > 256 { try fail("threads", "must be between 1 and 256, got \(threads)") }
        if !(threshold > 0 && threshold < 1) {
            try fail("threshold", "must be strictly between 0 and 1, got \(threshold)")
        }
        if case .fixed(let value) = thresholdPolicy, !(value > 0 && value < 1) {
            try fail("threshold-policy", "fixed:\(value): must be strictly between 0 and 1")
        }
        if let economics {
            do { try economics.validate() } catch let error as InsightsError {
                if case .invalidOption(let option, let message) = error { try fail(option, message) }
                throw error
            }
        }
    }

    /// Snake-case keys, as written into bundles and JSON output.
    enum CodingKeys: String, CodingKey {
        case hiddenLayers = "hidden_layers"
        case epochs
        case batchSize = "batch_size"
        case adam, seed
        case testSplit = "test_split"
        case validationSplit = "validation_split"
        case earlyStoppingPatience = "early_stopping_patience"
        case classWeight = "class_weight"
        case threads, threshold
        case thresholdPolicy = "threshold_policy"
        case economics
    }
}

/// How the loss weighs the two classes.
public enum ClassWeightPolicy: String, Codable, Sendable, CaseIterable {
    /// Every row counts the same.
    case none
    /// Each class weighs `rows / (2 · rows in class)`, as scikit-learn's "balanced".
    case balanced
}
