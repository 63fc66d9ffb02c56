import ArgumentParser
import ChurnML

/// `churn train`: fits preprocessing and a network on a CSV file and writes one model bundle.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a churn model on a CSV file and write it as one bundle file.",
        discussion: """
            Defaults are the reference recipe: drop id columns, label-encode binary columns, one-hot \
            categoricals, standard-scale, Dense(6, relu) → Dense(6, relu) → Dense(1, sigmoid), Adam 0.001, \
            batch 32, 100 epochs, 20% stratified test split. Every column that schema inference drops or \
            reinterprets, and every value read as missing under "invalid": "missing", is reported on standard \
            error, one line each (and under "notes" and "warnings" with --json).
            """)

    @Argument(help: "Training data (CSV with a header row).")
    var data: String

    @Option(help: "Where to write the model bundle.")
    var out: String

    @OptionGroup var table: TableOptions

    @OptionGroup var training: TrainingOptions

    @Flag(help: "Print the result as JSON (no progress bar).")
    var json = false

    func run() throws {
        let configuration = try training.configuration()
        let loaded = try table.load(data)
        loaded.printMessages()
        let progress = ProgressBar(enabled: !json)
        let outcome = try ModelTrainer.train(
            table: loaded.table, schema: loaded.schema, configuration: configuration,
            dataset: loaded.identity, progress: progress.update)
        progress.finish()
        let sha256 = try outcome.bundle.write(to: out)
        let summary = TrainSummary(
            model: out, sha256: sha256, rowsTrain: outcome.trainRows, epochsRun: outcome.epochsRun,
            trainSeconds: outcome.trainSeconds, test: outcome.testMetrics, threshold: outcome.bundle.threshold,
            thresholds: outcome.bundle.thresholds, notes: loaded.schema.notes.map(\.description),
            warnings: loaded.warnings)
        if json {
            try JSONOutput.print(summary)
        } else {
            print(
                "trained on \(outcome.trainRows) rows, \(outcome.epochsRun) epochs in \(ProgressBar.format(outcome.trainSeconds, digits: 3)) s"
            )
            if let thresholds = outcome.bundle.thresholds { print(InspectCommand.describe(thresholds)) }
            if let metrics = outcome.testMetrics {
                print(MetricsText.render(metrics, heading: "test (\(metrics.rows) held-out rows)"))
            }
            if let importance = outcome.bundle.insights?.importance { print(InspectCommand.describe(importance)) }
            print("wrote \(out) (sha256 \(sha256))")
        }
    }
}

/// The JSON that `churn train --json` prints.
struct TrainSummary: Encodable {
    var model: String
    var sha256: String
    var rowsTrain: Int
    var epochsRun: Int
    var trainSeconds: Double
    var test: ClassificationMetrics?
    var threshold: Double
    var thresholds: DecisionThresholds?
    /// One line per column inference dropped or reinterpreted (as printed on standard error).
    var notes: [String]
    /// One line per column whose values were read differently from how they were written.
    var warnings: [String]

    enum CodingKeys: String, CodingKey {
        case model, sha256
        case rowsTrain = "rows_train"
        case epochsRun = "epochs_run"
        case trainSeconds = "train_seconds"
        case test
        case threshold, thresholds, notes, warnings
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(rowsTrain, forKey: .rowsTrain)
        try container.encode(epochsRun, forKey: .epochsRun)
        try container.encode(trainSeconds, forKey: .trainSeconds)
        try container.encode(test, forKey: .test)  // null when there is no test split
        try container.encode(threshold, forKey: .threshold)
        try container.encodeIfPresent(thresholds, forKey: .thresholds)
        try container.encode(notes, forKey: .notes)
        try container.encode(warnings, forKey: .warnings)
    }
}
