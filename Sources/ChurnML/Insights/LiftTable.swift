/// Lift and cumulative gains by decile: customers sorted by churn probability (highest first) and cut
/// into ten groups of (nearly) equal size. "Top-decile lift 3.4" reads "the 10 % the model ranks riskiest
/// churn 3.4 times as often as customers on average"; "gains 0.48 at decile 2" reads "the riskiest 20 %
/// hold 48 % of all churners".
public struct LiftTable: Codable, Sendable, Equatable {
    /// One decile.
    public struct Decile: Codable, Sendable, Equatable {
        /// 1 = the riskiest tenth.
        public var decile: Int
        /// Customers in it.
        public var rows: Int
        /// How many churned.
        public var churners: Int
        /// Lowest and highest churn probability in it.
        public var minProbability: Double
        /// Highest churn probability in it.
        public var maxProbability: Double
        /// Mean predicted probability.
        public var meanProbability: Double
        /// churners / rows.
        public var churnRate: Double
        /// churnRate / overall churn rate.
        public var lift: Double
        /// Share of all churners in this decile and the riskier ones.
        public var cumulativeGain: Double
        /// Share of all customers in this decile and the riskier ones.
        public var cumulativeShare: Double

        /// Snake-case keys.
        enum CodingKeys: String, CodingKey {
            case decile, rows, churners
            case minProbability = "min_probability"
            case maxProbability = "max_probability"
            case meanProbability = "mean_probability"
            case churnRate = "churn_rate"
            case lift
            case cumulativeGain = "cumulative_gain"
            case cumulativeShare = "cumulative_share"
        }
    }

    /// The deciles, riskiest first (fewer than ten when there are fewer than ten rows).
    public var deciles: [Decile]
    /// Churners / rows over all rows.
    public var overallChurnRate: Double

    /// Share of all churners in the riskiest decile (0 without churners).
    public var topDecileCapture: Double { deciles.first?.cumulativeGain ?? 0 }

    /// Ranks rows by `scores` (ties keep row order) and tabulates the deciles.
    public static func compute(labels: [Float], scores: [Float]) -> LiftTable {
        let count = min(labels.count, scores.count)
        guard count > 0 else { return LiftTable(deciles: [], overallChurnRate: 0) }
        let order = (0..<count).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        let positives = (0..<count).reduce(0) { $0 + (labels[$1] >= 0.5 ? 1 : 0) }
        let overall = Double(positives) / Double(count)
        let groups = min(10, count)
        var deciles: [Decile] = []
        var cumulativeChurners = 0
        for group in 0..<groups {
            let slice = order[(group * count / groups)..<((group + 1) * count / groups)]
            let churners = slice.reduce(0) { $0 + (labels[$1] >= 0.5 ? 1 : 0) }
            cumulativeChurners += churners
            let probabilities = slice.map { Double(scores[$0]) }
            let rate = Double(churners) / Double(slice.count)
            deciles.append(
                Decile(
                    decile: group + 1, rows: slice.count, churners: churners,
                    minProbability: probabilities.min() ?? 0, maxProbability: probabilities.max() ?? 0,
                    meanProbability: probabilities.reduce(0, +) / Double(slice.count), churnRate: rate,
                    lift: overall > 0 ? rate / overall : 0,
                    cumulativeGain: positives > 0 ? Double(cumulativeChurners) / Double(positives) : 0,
                    cumulativeShare: Double((group + 1) * count / groups) / Double(count)))
        }
        return LiftTable(deciles: deciles, overallChurnRate: overall)
    }

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case deciles
        case overallChurnRate = "overall_churn_rate"
    }
}
