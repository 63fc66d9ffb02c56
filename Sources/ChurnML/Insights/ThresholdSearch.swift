/// Searches the cut points of a ranking for the best threshold by F1 (the profit one is the best point of
/// ``ProfitCurve``).
///
/// Candidates are the distinct scores: threshold `t = thresholds[i]` flags every row scoring ≥ t, that is
/// `truePositives[i]` churners and `falsePositives[i]` loyal customers. Ties in the objective go to the
/// higher threshold (fewer offers for the same value). Chosen thresholds are clamped into
/// [``lowest``, ``highest``] so that they are valid bundle thresholds (strictly inside (0, 1)).
enum ThresholdSearch {
    /// The smallest threshold a search returns.
    static let lowest = 1e-6
    /// The largest threshold a search returns.
    static let highest = 1 - 1e-6

    /// The cut with the highest F1 = 2·TP / (2·TP + FP + FN).
    static func bestF1(_ ranked: RankedScores) -> (threshold: Double, f1: Double) {
        var best = (threshold: highest, f1: 0.0)
        let positives = ranked.positives
        for i in ranked.thresholds.indices {
            let tp = ranked.truePositives[i]
            let denominator = tp + ranked.falsePositives[i] + positives
            guard denominator > 0 else { continue }
            let f1 = 2 * Double(tp) / Double(denominator)
            if f1 > best.f1 { best = (clamped(Double(ranked.thresholds[i])), f1) }
        }
        return best
    }

    /// `value` inside [lowest, highest].
    static func clamped(_ value: Double) -> Double {
        value.isNaN ? highest : min(max(value, lowest), highest)
    }
}
