/// Expected campaign profit for every threshold on labelled rows: targeting everyone scoring at or above
/// the threshold earns `churners · saveRate · customerValue − targeted · offerCost`
/// (``RetentionEconomics/profit(targeted:churners:)``).
public struct ProfitCurve: Codable, Sendable, Equatable {
    /// One threshold's campaign.
    public struct Point: Codable, Sendable, Equatable {
        /// Customers scoring at or above it are targeted.
        public var threshold: Double
        /// How many customers are targeted.
        public var targeted: Int
        /// How many of them churned.
        public var churners: Int
        /// The campaign's profit.
        public var profit: Double
    }

    /// At most this many points are stored (the best one always among them).
    public static let maxPoints = 201

    /// Points by decreasing threshold, starting with "target nobody" (profit 0).
    public var points: [Point]
    /// The point with the highest profit (the first one, "target nobody", when nothing makes money).
    public var best: Point
    /// Rows the curve was computed on.
    public var rows: Int
    /// Churners among them.
    public var positives: Int
    /// The assumptions.
    public var economics: RetentionEconomics

    /// The curve over every distinct score, thinned to ``maxPoints``. Empty data gives the single
    /// "target nobody" point.
    public static func compute(labels: [Float], scores: [Float], economics: RetentionEconomics) -> ProfitCurve {
        let start = Point(threshold: 1, targeted: 0, churners: 0, profit: 0)
        guard let ranked = RankedScores.ranking(labels: labels, scores: scores) else {
            return ProfitCurve(points: [start], best: start, rows: 0, positives: 0, economics: economics)
        }
        return compute(ranked, rows: labels.count, economics: economics)
    }

    /// The curve of a ranking of `rows` rows.
    static func compute(_ ranked: RankedScores, rows: Int, economics: RetentionEconomics) -> ProfitCurve {
        var all = [Point(threshold: ranked.startThreshold, targeted: 0, churners: 0, profit: 0)]
        all.reserveCapacity(ranked.thresholds.count + 1)
        var bestIndex = 0
        for i in ranked.thresholds.indices {
            let tp = ranked.truePositives[i]
            let targeted = tp + ranked.falsePositives[i]
            all.append(
                Point(
                    threshold: Double(ranked.thresholds[i]), targeted: targeted, churners: tp,
                    profit: economics.profit(targeted: targeted, churners: tp)))
            if all[all.count - 1].profit > all[bestIndex].profit { bestIndex = all.count - 1 }
        }
        return ProfitCurve(
            points: thinned(all, keeping: bestIndex), best: all[bestIndex], rows: rows,
            positives: ranked.positives, economics: economics)
    }

    /// Every `k`-th point plus the first, the last and `keeping`, in order.
    static func thinned(_ points: [Point], keeping: Int) -> [Point] {
        guard points.count > maxPoints else { return points }
        let step = Double(points.count - 1) / Double(maxPoints - 2)
        var indices = Set((0..<(maxPoints - 1)).map { min(points.count - 1, Int((Double($0) * step).rounded())) })
        indices.insert(points.count - 1)
        indices.insert(keeping)
        return indices.sorted().map { points[$0] }
    }
}
