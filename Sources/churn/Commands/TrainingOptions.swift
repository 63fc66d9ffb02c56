import ArgumentParser
import ChurnML

/// The training options shared by `churn train`, `churn bench train` and (later) `churn jobs submit`.
struct TrainingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hidden layer widths, comma-separated.", valueName: "N,N,..."))
    var layers: String = "6,6"

    @Option(help: "Passes over the training rows.")
    var epochs: Int = 100

    @Option(name: .customLong("batch-size"), help: "Rows per gradient step.")
    var batchSize: Int = 32

    @Option(name: .customLong("learning-rate"), help: "Adam step size.")
    var learningRate: Float = 0.001

    @Option(help: "Seed of the split, the initial weights and the shuffling.")
    var seed: UInt64 = 0

    @Option(name: .customLong("test-split"), help: "Share of rows held out for the final test (stratified).")
    var testSplit: Double = 0.2

    @Option(name: .customLong("validation-split"), help: "Share of the remaining rows used for per-epoch validation.")
    var validationSplit: Double = 0

    @Option(
        name: .customLong("early-stopping"),
        help: ArgumentHelp(
            "Stop after this many epochs without a better validation loss (needs --validation-split).",
            valueName: "patience"))
    var earlyStopping: Int?

    @Option(name: .customLong("class-weight"), help: "Class weighting of the loss: none or balanced.")
    var classWeight: ClassWeightPolicy = .none

    @Option(help: "OpenBLAS threads (1 is fastest for small networks).")
    var threads: Int = 1

    @Option(
        help:
            "Probability at or above which a customer is labelled as churning (the same as --threshold-policy fixed:X)."
    )
    var threshold: Double = 0.5

    @Option(
        name: .customLong("threshold-policy"),
        help: ArgumentHelp(
            "How the decision threshold is chosen: f1 (best F1), profit (best expected campaign profit) or fixed:X. F1 and profit are chosen on the validation rows if any, else the training rows; both are kept in the bundle either way.",
            valueName: "f1|profit|fixed:X"))
    var thresholdPolicy: ThresholdPolicy?

    @OptionGroup(title: "Retention economics (profit threshold and curve)")
    var economics: EconomicsOptions

    /// The configuration these options describe, validated.
    func configuration() throws -> TrainingConfiguration {
        var configuration = TrainingConfiguration()
        configuration.hiddenLayers = try Self.parseLayers(layers)
        configuration.epochs = epochs
        configuration.batchSize = batchSize
        configuration.adam.learningRate = learningRate
        configuration.seed = seed
        configuration.testSplit = testSplit
        configuration.validationSplit = validationSplit
        configuration.earlyStoppingPatience = earlyStopping
        configuration.classWeight = classWeight
        configuration.threads = threads
        configuration.threshold = threshold
        if case .fixed(let value) = thresholdPolicy {
            configuration.threshold = value
        } else {
            configuration.thresholdPolicy = thresholdPolicy
        }
        if economics.isSet { configuration.economics = try economics.economics() }
        try configuration.validate()
        return configuration
    }

    /// Parses `6,6` into `[6, 6]`; an empty string means no hidden layer.
    static func parseLayers(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if parts == [""] { return [] }
        return try parts.map { part in
            guard let width = Int(part), width > 0 else {
                throw ValidationError("--layers: \"\(part)\" is not a positive whole number (expected e.g. 6,6)")
            }
            return width
        }
    }
}

extension ClassWeightPolicy: ExpressibleByArgument {}
extension UnseenCategoryPolicy: ExpressibleByArgument {}
