/// What a model's inputs and scores looked like in training, stored in its bundle (metadata
/// `baseline`) so that a predictor can tell, by itself, when the customers it scores stop looking
/// like the ones it learned from (``PopulationStability``). Bundles written before it have none
/// and are served without drift monitoring.
public struct DriftBaseline: Codable, Sendable, Equatable {
    /// What the rows were (`training rows`).
    public var source: String
    /// Rows measured.
    public var rows: Int
    /// One distribution per input column, in schema order.
    public var columns: [ColumnDistribution]
    /// The distribution of the model's churn probability on those rows (decile bins).
    public var score: ColumnDistribution

    /// Creates a baseline from its parts.
    public init(source: String, rows: Int, columns: [ColumnDistribution], score: ColumnDistribution) {
        self.source = source
        self.rows = rows
        self.columns = columns
        self.score = score
    }

    /// The name the score's distribution goes by.
    public static let scoreName = "score"

    /// The baseline of `table`'s input columns under `schema`, with `scores` the model's
    /// probabilities for the same rows: numeric-role number columns by deciles, every other input
    /// column (categorical or binary, text or numbers) by category.
    public static func compute(table: Table, schema: Schema, scores: [Float], source: String) -> DriftBaseline {
        var columns: [ColumnDistribution] = []
        for column in schema.featureColumns {
            guard let data = table.column(named: column.name) else { continue }
            switch (column.role, data) {
            case (.numeric, .numeric(let values)):
                columns.append(.numbers(column.name, values))
            default:
                columns.append(
                    .categories(
                        column.name, (0..<data.count).map { data.isMissing(at: $0) ? nil : data.displayValue(at: $0) }))
            }
        }
        return DriftBaseline(
            source: source, rows: table.rowCount, columns: columns,
            score: .numbers(scoreName, scores.map { Double($0) }))
    }
}
