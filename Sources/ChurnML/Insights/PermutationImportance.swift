import LinearAlgebra

/// How much the model relies on each ORIGINAL column: the drop in ROC-AUC on labelled rows when that
/// column's values are shuffled across the rows (breaking its link to the outcome while keeping its
/// distribution), repeated with seeded shuffles — scikit-learn's `permutation_importance` with
/// `scoring="roc_auc"`. One-hot features of a column are shuffled together.
public struct PermutationImportance: Codable, Sendable, Equatable {
    /// One column's importance.
    public struct Column: Codable, Sendable, Equatable {
        /// The original column.
        public var column: String
        /// Mean drop in ROC-AUC over the repeats.
        public var mean: Double
        /// Standard deviation of the drop over the repeats (population, as scikit-learn).
        public var spread: Double
        /// The drop of each repeat.
        public var drops: [Double]
    }

    /// Columns by decreasing mean drop (ties: schema order).
    public var columns: [Column]
    /// ROC-AUC with nothing shuffled.
    public var baselineAUC: Double
    /// Shuffles per column.
    public var repeats: Int
    /// Seed of the shuffles.
    public var seed: UInt64
    /// Rows it was measured on.
    public var rows: Int

    /// Default shuffles per column (scikit-learn's `n_repeats`).
    public static let defaultRepeats = 5

    /// Measures the importance of every encoder's column for `network` on the scaled, encoded rows
    /// `features` (as `pipeline.transform` makes them) with their `labels`.
    ///
    /// - Throws: ``InsightsError/unusableData(_:)`` when the rows hold one class only, or a shape error.
    public static func compute(
        network: DenseNetwork, pipeline: FeaturePipeline, features: Matrix, labels: [Float],
        repeats: Int = defaultRepeats, seed: UInt64
    ) throws -> PermutationImportance {
        let repeats = max(1, repeats)
        guard let baseline = try auc(labels: labels, scores: network.predictProbabilities(features)) else {
            throw InsightsError.unusableData(
                "permutation importance needs churners and loyal customers among the \(labels.count) rows")
        }
        var generator = SeededGenerator(seed: seed)
        var shuffled = features
        let rows = features.rows
        var columns: [Column] = []
        var offset = 0
        for encoder in pipeline.encoders {
            let range = offset..<(offset + encoder.outputWidth)
            offset += encoder.outputWidth
            var drops: [Double] = []
            for _ in 0..<repeats {
                var order = Array(0..<rows)
                for i in stride(from: rows - 1, to: 0, by: -1) { order.swapAt(i, generator.nextIndex(below: i + 1)) }
                copy(range, from: features, into: &shuffled) { order[$0] }
                let score = try auc(labels: labels, scores: network.predictProbabilities(shuffled)) ?? baseline
                drops.append(baseline - score)
            }
            copy(range, from: features, into: &shuffled) { $0 }
            let mean = drops.reduce(0, +) / Double(drops.count)
            let variance = drops.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(drops.count)
            columns.append(Column(column: encoder.column, mean: mean, spread: variance.squareRoot(), drops: drops))
        }
        let ranked = columns.enumerated().sorted {
            $0.element.mean > $1.element.mean || ($0.element.mean == $1.element.mean && $0.offset < $1.offset)
        }
        return PermutationImportance(
            columns: ranked.map(\.element), baselineAUC: baseline, repeats: repeats, seed: seed, rows: rows)
    }

    /// Sets the features `range` of every row `r` of `target` to those of row `sourceRow(r)` of `source`.
    private static func copy(
        _ range: Range<Int>, from source: Matrix, into target: inout Matrix, sourceRow: (Int) -> Int
    ) {
        let width = source.columns
        target.withMutableView { to in
            source.withView { from in
                guard let to = to.base, let from = from.base else { return }
                for row in 0..<source.rows {
                    let origin = sourceRow(row) * width
                    for feature in range { to[row * width + feature] = from[origin + feature] }
                }
            }
        }
    }

    /// ROC-AUC, nil with one class.
    static func auc(labels: [Float], scores: [Float]) -> Double? {
        RankedScores.ranking(labels: labels, scores: scores)?.rocAUC()
    }

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case columns
        case baselineAUC = "baseline_auc"
        case repeats, seed, rows
    }
}
