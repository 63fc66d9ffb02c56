import ArgumentParser
import ChurnML

/// `churn inspect`: what a model bundle holds — schema, features, network, metrics, lineage.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show what a model bundle holds: schema, preprocessing, network, metrics and lineage.")

    @Argument(help: "The model bundle.")
    var model: String

    @Flag(help: "Print everything as JSON.")
    var json = false

    func run() throws {
        let (bundle, bytes) = try ModelBundle.read(path: model)
        let sha256 = SHA256Digest.hex(of: bytes)
        if json {
            try JSONOutput.print(InspectOutput(bundle: bundle, sha256: sha256, bytes: bytes.count))
            return
        }
        let lineage = bundle.lineage
        let configuration = lineage.configuration
        print("model      \(model)  (\(bytes.count) bytes, sha256 \(sha256))")
        print(
            "format     \(ModelBundle.formatName) v\(ModelBundle.formatVersion), made \(lineage.created) by churn \(lineage.toolVersion)"
        )
        print("dataset    \(lineage.datasetSource)  (\(lineage.datasetRows) rows, sha256 \(lineage.datasetSHA256))")
        print(
            "split      train \(lineage.trainRows), validation \(lineage.validationRows), test \(lineage.testRows)  (seed \(configuration.seed))"
        )
        print("target     \(bundle.schema.target)  (positive = \"\(bundle.schema.positiveLabel)\")")
        print("columns")
        for column in bundle.schema.columns {
            let encoder = bundle.pipeline.encoders.first { $0.column == column.name }
            print(
                "  \(column.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(column.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(encoder.map(Self.describe) ?? "")"
            )
        }
        if !bundle.schema.notes.isEmpty {
            print("notes")
            for note in bundle.schema.notes { print("  \(note)") }
        }
        print(
            "network    \(bundle.network.layerSizes.map(String.init).joined(separator: " → ")) (relu, sigmoid output), \(bundle.network.parameters.count) parameters"
        )
        print(
            "training   \(lineage.epochsRun)/\(configuration.epochs) epochs, batch \(configuration.batchSize), Adam lr \(configuration.adam.learningRate), class weight \(configuration.classWeight.rawValue)"
        )
        print("threshold  \(bundle.threshold); unseen categories: \(bundle.pipeline.unseenCategoryPolicy.rawValue)")
        if let thresholds = bundle.thresholds { print(Self.describe(thresholds)) }
        if let metrics = bundle.metrics { print(MetricsText.render(metrics, heading: "test metrics")) }
        if let importance = bundle.insights?.importance { print(Self.describe(importance)) }
    }

    /// The chosen thresholds and the assumptions behind the profit one.
    static func describe(_ thresholds: DecisionThresholds) -> String {
        let economics = thresholds.economics
        return """
            thresholds policy \(thresholds.policy); best F1 at \(ProgressBar.format(thresholds.f1)), best profit at \(ProgressBar.format(thresholds.profit)) \
            (chosen on \(thresholds.selectionRows) \(thresholds.selectedOn) rows; offer \(ColumnData.format(economics.offerCost)), \
            customer \(ColumnData.format(economics.customerValue)), save rate \(ProgressBar.format(economics.saveRate, digits: 3)))
            """
    }

    /// The permutation importance table, most important first.
    static func describe(_ importance: PermutationImportance) -> String {
        var lines = [
            "importance drop in ROC-AUC when a column is shuffled (\(importance.rows) test rows, \(importance.repeats) repeats, baseline \(ProgressBar.format(importance.baselineAUC)))"
        ]
        for column in importance.columns {
            lines.append(
                "  \(column.column.padding(toLength: 18, withPad: " ", startingAt: 0)) \(ProgressBar.format(column.mean)) ± \(ProgressBar.format(column.spread))"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// One line about how a column is encoded.
    static func describe(_ encoder: FeatureEncoder) -> String {
        switch encoder.role {
        case .numeric:
            let range = [encoder.minimum, encoder.maximum].map { $0.map(ColumnData.format) ?? "?" }
            let invalid = encoder.invalid == .missing ? "; non-numbers read as missing" : ""
            return
                "range \(range[0])…\(range[1]), missing → median \(encoder.numericFill.map(ColumnData.format) ?? "?")\(invalid)"
        case .binary:
            return
                "\(encoder.levels.enumerated().map { "\($1)=\($0)" }.joined(separator: ", ")), missing → \(encoder.fill ?? "?")"
        default:
            return "one-hot \(encoder.levels.joined(separator: ", ")), missing → \(encoder.fill ?? "?")"
        }
    }
}

/// The JSON that `churn inspect --json` prints.
struct InspectOutput: Encodable {
    var sha256: String
    var bytes: Int
    var formatVersion = ModelBundle.formatVersion
    var schema: Schema
    var pipeline: FeaturePipeline
    var layerSizes: [Int]
    var threshold: Double
    var metrics: ClassificationMetrics?
    var lineage: Lineage
    var thresholds: DecisionThresholds?
    var insights: ModelInsights?

    init(bundle: ModelBundle, sha256: String, bytes: Int) {
        self.sha256 = sha256
        self.bytes = bytes
        schema = bundle.schema
        pipeline = bundle.pipeline
        layerSizes = bundle.network.layerSizes
        threshold = bundle.threshold
        metrics = bundle.metrics
        lineage = bundle.lineage
        thresholds = bundle.thresholds
        insights = bundle.insights
    }

    enum CodingKeys: String, CodingKey {
        case sha256, bytes
        case formatVersion = "format_version"
        case schema, pipeline
        case layerSizes = "layer_sizes"
        case threshold, metrics, lineage, thresholds, insights
    }
}
