import ArgumentParser
import ChurnML
import Foundation
import Gateway

/// `churn report`: one self-contained HTML page about a model on labelled data — metrics, curves,
/// confusion matrix, calibration, lift and gains, importance, the profit curve and churn by segment.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a model on labelled data, for a business audience.",
        discussion: """
            Every number is computed on DATA.csv (its metrics are those of `churn evaluate MODEL DATA.csv`);
            the decision thresholds come from the bundle. The file has no external assets (inline SVG and CSS)
            and opens in any browser, offline.
            """)

    @Argument(help: "The model bundle.")
    var model: String

    @Argument(help: "Labelled data (CSV with the model's target column).")
    var data: String

    @Option(help: "Where to write the report (HTML).")
    var out: String

    @OptionGroup(title: "Retention economics (profit curve)")
    var economics: EconomicsOptions

    @Option(help: "Seed of the importance shuffles.")
    var seed: UInt64 = 0

    @Option(help: "Shuffles per column for the importance.")
    var repeats: Int = PermutationImportance.defaultRepeats

    @Option(help: "What to do with categories unseen in training: zeros or error.")
    var unseen: UnseenCategoryPolicy?

    @OptionGroup var csv: CSVOptions

    func validate() throws {
        if repeats < 1 || repeats > 100 { throw ValidationError("--repeats must be between 1 and 100, got \(repeats)") }
    }

    func run() throws {
        let (bundle, bytes) = try ModelBundle.read(path: model)
        let table = try csv.read(data)
        guard table.columnIndex(named: bundle.schema.target) != nil else {
            throw DataError(
                "the model's target column is missing from the data", source: data, column: bundle.schema.target)
        }
        // Economics: the options given, else those the bundle's profit threshold was chosen with.
        let economics = economics.isSet ? try economics.economics() : bundle.thresholds?.economics ?? .defaults
        let labels = try SchemaInference.labels(of: table, schema: bundle.schema)
        let features = try bundle.pipeline.transform(table, policy: unseen).features
        let scores = try bundle.network.predictProbabilities(features)
        let metrics = try ClassificationMetrics.compute(
            labels: labels, probabilities: scores, threshold: bundle.threshold)
        let insights = try bundle.insights(
            on: table, labels: labels, features: features, scores: scores, source: (data as NSString).lastPathComponent,
            economics: economics, seed: seed, repeats: repeats)
        let content = ModelReportContent(
            modelName: (model as NSString).lastPathComponent, modelSHA256: SHA256Digest.hex(of: bytes), bundle: bundle,
            dataName: (data as NSString).lastPathComponent, metrics: metrics,
            curves: EvaluationCurves.compute(labels: labels, scores: scores), insights: insights,
            generated: ModelTrainer.timestamp())
        try FileBytes.write(Array(ModelReport.html(content).utf8), to: out)
        print(
            "wrote \(out): \(table.rowCount) rows of \(data), ROC-AUC \(metrics.rocAUC.map { ProgressBar.format($0) } ?? "n/a"), best campaign profit \(GroupedNumber.text(insights.profit.best.profit)) at threshold \(ProgressBar.format(insights.profit.best.threshold))"
        )
    }
}
