import Foundation
import LinearAlgebra

/// What a training run produced.
public struct TrainingOutcome: Sendable {
    /// The model, ready to be written.
    public var bundle: ModelBundle
    /// Metrics on the held-out test rows (nil without a test split).
    public var testMetrics: ClassificationMetrics?
    /// Seconds spent in the training loop alone.
    public var trainSeconds: Double
    /// Epochs run.
    public var epochsRun: Int
    /// Rows the network was fitted on.
    public var trainRows: Int
}

/// Identifies the data a model is trained on, for the bundle's lineage.
public struct DatasetIdentity: Sendable, Equatable {
    /// SHA-256 (hex) of the data file's bytes.
    public var sha256: String
    /// File or dataset name.
    public var source: String

    /// Names a dataset.
    public init(sha256: String, source: String) {
        self.sha256 = sha256
        self.source = source
    }
}

/// The whole offline recipe: split, fit preprocessing on the training rows, train the network,
/// evaluate on the held-out rows, and assemble the bundle with its lineage.
public enum ModelTrainer {
    /// Trains a model on `table` under `schema`.
    ///
    /// - Parameters:
    ///   - created: the bundle's creation time (ISO 8601); pass a fixed value for reproducible bytes.
    ///   - progress: called after each epoch.
    ///   - shouldCancel: polled after each epoch.
    public static func train(
        table: Table, schema: Schema, configuration: TrainingConfiguration, dataset: DatasetIdentity,
        created: String = ModelTrainer.timestamp(), progress: ((EpochReport) -> Void)? = nil,
        shouldCancel: (() -> Bool)? = nil
    ) throws -> TrainingOutcome {
        try configuration.validate()
        let labels = try SchemaInference.labels(of: table, schema: schema)
        let positives = labels.reduce(0) { $0 + ($1 >= 0.5 ? 1 : 0) }
        guard positives >= 2, labels.count - positives >= 2 else {
            throw TrainingError.unusableData(
                "\(table.source): the target \"\(schema.target)\" needs at least 2 rows of each class; found \(positives) positive and \(labels.count - positives) negative"
            )
        }
        var generator = SeededGenerator(seed: configuration.seed)
        let split = StratifiedSplit(
            labels: labels, testShare: configuration.testSplit, validationShare: configuration.validationSplit,
            generator: &generator)
        let trainTable = table.rows(split.train)
        let (pipeline, encodedTraining) = try FeaturePipeline.fitAndTransform(trainTable, schema: schema)
        let training = try LabeledMatrix(features: encodedTraining.features, labels: split.train.map { labels[$0] })
        let validation = try encoded(table, rows: split.validation, labels: labels, pipeline: pipeline)
        let test = try encoded(table, rows: split.test, labels: labels, pipeline: pipeline)

        let layerSizes = [pipeline.featureCount] + configuration.hiddenLayers + [1]
        let initial = try DenseNetwork.glorotUniform(layerSizes: layerSizes, generator: &generator)
        let run = try NetworkTrainer.train(
            initial, on: training, validation: validation, configuration: configuration,
            generator: &generator, progress: progress, shouldCancel: shouldCancel)

        let economics = configuration.economics ?? .defaults
        let thresholds = try chooseThresholds(
            network: run.network, validation: validation, training: training, configuration: configuration,
            economics: economics)
        let threshold = thresholds?.applied ?? configuration.threshold
        var metrics: ClassificationMetrics?
        var curves: EvaluationCurves?
        var testScores: [Float] = []
        if let test {
            testScores = try run.network.predictProbabilities(test.features)
            metrics = try ClassificationMetrics.compute(
                labels: test.labels, probabilities: testScores, threshold: threshold)
            curves = EvaluationCurves.compute(labels: test.labels, scores: testScores)
        }
        let validationHistory = run.history.compactMap(\.validationLoss)
        let lineage = Lineage(
            datasetSHA256: dataset.sha256, datasetSource: dataset.source, datasetRows: table.rowCount,
            trainRows: split.train.count, validationRows: split.validation.count, testRows: split.test.count,
            configuration: configuration, epochsRun: run.epochsRun, lossHistory: run.history.map(\.loss),
            validationLossHistory: validationHistory.isEmpty ? nil : validationHistory,
            created: created, toolVersion: ChurnVersion.current)
        var bundle = ModelBundle(
            schema: schema, pipeline: pipeline, network: run.network, threshold: threshold,
            metrics: metrics, curves: curves, lineage: lineage, thresholds: thresholds)
        if let test {
            bundle.insights = try bundle.insights(
                on: table.rows(split.test), labels: test.labels, features: test.features, scores: testScores,
                source: "test rows", economics: economics, seed: configuration.seed)
        }
        bundle.baseline = DriftBaseline.compute(
            table: trainTable, schema: schema, scores: try run.network.predictProbabilities(training.features),
            source: "training rows")
        return TrainingOutcome(
            bundle: bundle, testMetrics: metrics, trainSeconds: run.trainSeconds, epochsRun: run.epochsRun,
            trainRows: split.train.count)
    }

    /// The F1 and profit thresholds, chosen on the validation rows when there are any, else on the
    /// training rows. Nil when those rows hold one class only and the policy does not need them.
    private static func chooseThresholds(
        network: DenseNetwork, validation: LabeledMatrix?, training: LabeledMatrix,
        configuration: TrainingConfiguration,
        economics: RetentionEconomics
    ) throws -> DecisionThresholds? {
        let (rows, name) = validation.map { ($0, "validation") } ?? (training, "training")
        let policy = configuration.thresholdPolicy ?? .fixed(configuration.threshold)
        do {
            return try DecisionThresholds.choose(
                policy: policy, labels: rows.labels, scores: network.predictProbabilities(rows.features),
                economics: economics, selectedOn: name)
        } catch let error as InsightsError {
            if case .fixed = policy { return nil }
            throw TrainingError.unusableData("--threshold-policy \(policy): \(error)")
        }
    }

    /// The current time as ISO 8601 UTC with seconds, e.g. `2026-11-25T14:03:00Z`.
    public static func timestamp() -> String {
        Date().formatted(.iso8601)
    }

    private static func encoded(_ table: Table, rows: [Int], labels: [Float], pipeline: FeaturePipeline) throws
        -> LabeledMatrix?
    {
        guard !rows.isEmpty else { return nil }
        let features = try pipeline.transform(table.rows(rows)).features
        return try LabeledMatrix(features: features, labels: rows.map { labels[$0] })
    }
}
