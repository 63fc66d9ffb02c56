/// Churn by customer segment: for each feature column, the rows grouped by value — each level of a
/// categorical or binary column, each value of a numeric column with at most
/// ``SegmentTable/maxDistinctValues`` distinct values (products held, tenure years), otherwise
/// quintile ranges — with counts, observed churn rate and mean predicted probability.
public struct SegmentTable: Codable, Sendable, Equatable {
    /// One segment.
    public struct Segment: Codable, Sendable, Equatable {
        /// `France`, `3`, `≤ 32`, `32 – 40`, `> 62`, `(missing)`.
        public var label: String
        /// Customers in it.
        public var rows: Int
        /// How many churned.
        public var churners: Int
        /// churners / rows.
        public var churnRate: Double
        /// Mean predicted churn probability.
        public var meanProbability: Double

        /// Snake-case keys.
        enum CodingKeys: String, CodingKey {
            case label, rows, churners
            case churnRate = "churn_rate"
            case meanProbability = "mean_probability"
        }
    }

    /// One column's segments.
    public struct Group: Codable, Sendable, Equatable {
        /// The column.
        public var column: String
        /// `levels` (one per value) or `ranges` (quintiles of a numeric column).
        public var kind: String
        /// Segments in value order (categories sorted, numbers ascending), `(missing)` last.
        public var segments: [Segment]
    }

    /// A numeric column with at most this many distinct values is shown value by value.
    public static let maxDistinctValues = 12
    /// Numeric columns with more values are cut at these quantiles.
    public static let rangeQuantiles = [0.2, 0.4, 0.6, 0.8]
    /// The label of missing values.
    public static let missingLabel = "(missing)"

    /// One group per feature column of `schema` present in `table`, in schema order.
    public var groups: [Group]

    /// Tabulates `table`'s rows with their `labels` and predicted `scores` (same order and count).
    public static func compute(table: Table, schema: Schema, labels: [Float], scores: [Float]) -> SegmentTable {
        let count = min(table.rowCount, labels.count, scores.count)
        var groups: [Group] = []
        for column in schema.featureColumns {
            guard let data = table.column(named: column.name) else { continue }
            let (kind, keys, names) = segmentation(data, role: column.role, count: count)
            var rows = [Int](repeating: 0, count: names.count)
            var churners = [Int](repeating: 0, count: names.count)
            var predicted = [Double](repeating: 0, count: names.count)
            for row in 0..<count {
                let key = keys[row]
                rows[key] += 1
                predicted[key] += Double(scores[row])
                if labels[row] >= 0.5 { churners[key] += 1 }
            }
            let segments = names.indices.compactMap { index -> Segment? in
                guard rows[index] > 0 else { return nil }
                return Segment(
                    label: names[index], rows: rows[index], churners: churners[index],
                    churnRate: Double(churners[index]) / Double(rows[index]),
                    meanProbability: predicted[index] / Double(rows[index]))
            }
            groups.append(Group(column: column.name, kind: kind, segments: segments))
        }
        return SegmentTable(groups: groups)
    }

    /// Each row's segment index and the segment names (the last one is `(missing)`).
    static func segmentation(_ data: ColumnData, role: ColumnRole, count: Int) -> (
        kind: String, keys: [Int], names: [String]
    ) {
        if case .numeric(let values) = data, role == .numeric {
            let present = values.prefix(count).compactMap { $0 }
            let distinct = Array(Set(present)).sorted()
            if distinct.count > maxDistinctValues {
                let sorted = present.sorted()
                let cuts = Array(
                    Set(rangeQuantiles.map { sorted[min(sorted.count - 1, Int($0 * Double(sorted.count)))] })
                ).sorted()
                var names = ["≤ \(ColumnData.format(cuts[0]))"]
                for index in 1..<cuts.count {
                    names.append("\(ColumnData.format(cuts[index - 1])) – \(ColumnData.format(cuts[index]))")
                }
                names.append("> \(ColumnData.format(cuts[cuts.count - 1]))")
                let keys = (0..<count).map { row -> Int in
                    guard let value = values[row] else { return names.count }
                    return cuts.firstIndex { value <= $0 } ?? cuts.count
                }
                return ("ranges", keys, names + [missingLabel])
            }
            let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            let keys = (0..<count).map { row in values[row].flatMap { position[$0] } ?? distinct.count }
            return ("levels", keys, distinct.map(ColumnData.format) + [missingLabel])
        }
        let texts = (0..<count).map { data.isMissing(at: $0) ? nil : data.displayValue(at: $0) }
        let distinct = Array(Set(texts.compactMap { $0 })).sorted()
        let position = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
        return ("levels", texts.map { $0.flatMap { position[$0] } ?? distinct.count }, distinct + [missingLabel])
    }
}
