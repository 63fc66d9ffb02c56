/// A reliability diagram (calibration) derived from a ROC curve and the held-out class counts,
/// so it needs nothing but what the bundle stores.
///
/// A ROC point with threshold `t` says that `tpr · P` positives and `fpr · N` negatives scored at
/// least `t`. So the rows whose score lies in `[a, b)` hold `tpr(a) · P − tpr(b) · P` positives
/// and likewise for negatives, and their observed churn rate is positives / rows. The curve is
/// thinned (≤ 201 points), so `tpr(e)` at a bin edge `e` is read at the curve point with the
/// smallest threshold ≥ `e`: exact where the curve has a point at the edge, otherwise off by the
/// rows between the edge and that point. The predicted value of a bin is its centre.
enum CalibrationBins {
    /// One probability bin.
    struct Bin: Codable, Sendable, Equatable {
        /// Lower edge of predicted probability.
        var lower: Double
        /// Upper edge.
        var upper: Double
        /// Held-out rows with a probability in the bin.
        var rows: Int
        /// Fraction of them that churned.
        var observed: Double
    }

    /// `bins` equal-width bins over [0, 1]; empty bins are left out. Empty without a usable curve.
    static func derive(roc: [BundleEvaluation.Point], positives: Int, negatives: Int, bins: Int) -> [Bin] {
        guard bins > 0, positives + negatives > 0, roc.count >= 2 else { return [] }
        let points = roc.filter { !$0.threshold.isNaN }.sorted { $0.threshold > $1.threshold }
        /// (positives, negatives) with a score ≥ `edge`.
        func atLeast(_ edge: Double) -> (Double, Double) {
            var best: BundleEvaluation.Point?
            for point in points where point.threshold >= edge {
                best = point  // points are by decreasing threshold: the last one ≥ edge is the smallest
            }
            guard let best else { return (0, 0) }
            // Rates outside [0, 1] (a malformed curve) are clamped, so counts stay within the class sizes.
            return (min(max(best.y, 0), 1) * Double(positives), min(max(best.x, 0), 1) * Double(negatives))
        }
        var result: [Bin] = []
        for index in 0..<bins {
            let lower = Double(index) / Double(bins)
            let upper = Double(index + 1) / Double(bins)
            let (positivesFromLower, negativesFromLower) = atLeast(lower)
            let (positivesFromUpper, negativesFromUpper) = index == bins - 1 ? (0, 0) : atLeast(upper)
            let binPositives = max(0, positivesFromLower - positivesFromUpper)
            let binNegatives = max(0, negativesFromLower - negativesFromUpper)
            let rows = (binPositives + binNegatives).rounded()
            guard rows >= 1 else { continue }
            result.append(
                Bin(lower: lower, upper: upper, rows: Int(rows), observed: binPositives / (binPositives + binNegatives))
            )
        }
        return result
    }
}
