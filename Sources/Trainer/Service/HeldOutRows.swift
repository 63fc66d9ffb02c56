import ChurnML

/// A job's held-out test rows and their labels: the rows `ModelTrainer` evaluated the new model
/// on, recomputed from the same table, schema and seed (the stratified split is the first use of
/// the seeded generator), so any other model can be scored on exactly the same rows.
struct HeldOutRows: Sendable {
    /// The test rows of the table.
    var table: Table
    /// 0/1 per row, by the job's target and positive label.
    var labels: [Float]

    /// The held-out rows of a finished job; nil when the job had no test split.
    init?(output: JobExecutor.Output, configuration: TrainingConfiguration) throws {
        let labels = try SchemaInference.labels(of: output.table, schema: output.schema)
        var generator = SeededGenerator(seed: configuration.seed)
        let split = StratifiedSplit(
            labels: labels, testShare: configuration.testSplit, validationShare: configuration.validationSplit,
            generator: &generator)
        guard !split.test.isEmpty else { return nil }
        table = output.table.rows(split.test)
        self.labels = split.test.map { labels[$0] }
    }

    /// The metrics of `bundle` on these rows, at the bundle's own threshold.
    func evaluate(_ bundle: ModelBundle) throws -> ClassificationMetrics {
        let features = try bundle.pipeline.transform(table).features
        let probabilities = try bundle.network.predictProbabilities(features)
        return try ClassificationMetrics.compute(
            labels: labels, probabilities: probabilities, threshold: bundle.threshold)
    }
}
