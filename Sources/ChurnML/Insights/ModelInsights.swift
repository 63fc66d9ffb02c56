import LinearAlgebra

/// What a model means for a retention team, measured on labelled rows: which columns drive its
/// predictions, how much a campaign at each threshold would earn, how well it concentrates churners
/// in its top deciles, whether its probabilities can be taken at face value, and how churn varies by
/// segment. Training stores one computed on the held-out test rows in the bundle (metadata `insights`);
/// `churn report` computes one on any labelled file.
public struct ModelInsights: Codable, Sendable, Equatable {
    /// What the rows were: `test rows` at training, or the data file's name.
    public var source: String
    /// Rows analysed.
    public var rows: Int
    /// Churners among them.
    public var positives: Int
    /// Permutation importance (nil when the rows hold one class only).
    public var importance: PermutationImportance?
    /// Expected campaign profit per threshold.
    public var profit: ProfitCurve
    /// Lift and cumulative gains by decile.
    public var lift: LiftTable
    /// Reliability bins.
    public var calibration: CalibrationCurve
    /// Churn by segment.
    public var segments: SegmentTable

    /// Assembles the parts.
    public init(
        source: String, rows: Int, positives: Int, importance: PermutationImportance?, profit: ProfitCurve,
        lift: LiftTable,
        calibration: CalibrationCurve, segments: SegmentTable
    ) {
        self.source = source
        self.rows = rows
        self.positives = positives
        self.importance = importance
        self.profit = profit
        self.lift = lift
        self.calibration = calibration
        self.segments = segments
    }
}

extension ModelBundle {
    /// Computes the insights of this model on `table`, whose target column gives the outcomes.
    ///
    /// - Parameters:
    ///   - source: how the rows are named in reports (`test rows`, a file name).
    ///   - economics: the campaign assumptions of the profit curve.
    ///   - seed: seed of the importance shuffles.
    ///   - repeats: shuffles per column for the importance.
    /// - Throws: `DataError` for unreadable rows or outcomes (naming line, column and value).
    public func insights(
        on table: Table, source: String, economics: RetentionEconomics, seed: UInt64,
        repeats: Int = PermutationImportance.defaultRepeats, policy: UnseenCategoryPolicy? = nil
    ) throws -> ModelInsights {
        let labels = try SchemaInference.labels(of: table, schema: schema)
        let features = try pipeline.transform(table, policy: policy).features
        return try insights(
            on: table, labels: labels, features: features, scores: network.predictProbabilities(features),
            source: source,
            economics: economics, seed: seed, repeats: repeats)
    }

    /// The insights of rows already encoded (`features`, as `pipeline.transform` makes them) and scored
    /// (`scores`), with their outcomes `labels`; `table` holds the same rows for the segments.
    public func insights(
        on table: Table, labels: [Float], features: Matrix, scores: [Float], source: String,
        economics: RetentionEconomics,
        seed: UInt64, repeats: Int = PermutationImportance.defaultRepeats
    ) throws -> ModelInsights {
        let importance = try? PermutationImportance.compute(
            network: network, pipeline: pipeline, features: features, labels: labels, repeats: repeats, seed: seed)
        return ModelInsights(
            source: source, rows: labels.count, positives: labels.reduce(0) { $0 + ($1 >= 0.5 ? 1 : 0) },
            importance: importance,
            profit: ProfitCurve.compute(labels: labels, scores: scores, economics: economics),
            lift: LiftTable.compute(labels: labels, scores: scores),
            calibration: CalibrationCurve.compute(labels: labels, scores: scores),
            segments: SegmentTable.compute(table: table, schema: schema, labels: labels, scores: scores))
    }
}
