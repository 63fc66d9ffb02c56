import ArgumentParser
import ChurnML

/// `churn evaluate`: scores a labelled CSV file with a model and reports its metrics.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on labelled data: accuracy, precision, recall, F1, ROC-AUC, PR-AUC, log loss, Brier."
    )

    @Argument(help: "The model bundle.")
    var model: String

    @Argument(help: "Labelled data (CSV with the model's target column).")
    var data: String

    @Option(help: "What to do with categories unseen in training: zeros or error.")
    var unseen: UnseenCategoryPolicy?

    @OptionGroup var csv: CSVOptions

    @Flag(help: "Print the metrics as JSON.")
    var json = false

    func run() throws {
        let bundle = try ModelBundle.load(path: model)
        let table = try csv.read(data)
        guard table.columnIndex(named: bundle.schema.target) != nil else {
            throw DataError(
                "the model's target column is missing from the data", source: data, column: bundle.schema.target)
        }
        let labels = try SchemaInference.labels(of: table, schema: bundle.schema)
        let predictions = try bundle.predict(table, policy: unseen)
        let metrics = try ClassificationMetrics.compute(
            labels: labels, probabilities: predictions.probabilities, threshold: bundle.threshold)
        if json {
            try JSONOutput.print(metrics)
        } else {
            print(MetricsText.render(metrics, heading: "\(data) (\(metrics.rows) rows)"))
            for warning in predictions.warnings.prefix(10) { print("warning: \(warning)") }
        }
    }
}
