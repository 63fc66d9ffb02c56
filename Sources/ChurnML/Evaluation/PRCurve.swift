/// The precision–recall curve: recall (`x`) against precision (`y`) as the decision threshold falls.
///
/// The points are scikit-learn's `precision_recall_curve` (which keeps every threshold) in
/// reverse order, so recall never decreases: first the point scikit-learn appends last,
/// `(recall 0, precision 1)`, here given the threshold "highest score + 1" (scikit-learn gives it
/// none), then one point per distinct score in decreasing order; the last point has recall 1.
/// Tied scores form one point.
///
/// Input rules (this function does not throw): a label counts as positive when it is `>= 0.5`;
/// a NaN score ranks lowest; when the arrays differ in length or are empty the result is empty.
/// When there are no positives every recall is 0 (scikit-learn gives 1). O(n log n) time.
public enum PRCurve {
    /// The precision–recall curve of `scores` against `labels`.
    public static func points(labels: [Float], scores: [Float]) -> [CurvePoint] {
        RankedScores.ranking(labels: labels, scores: scores).map(points) ?? []
    }

    /// The precision–recall curve of an already ranked set of scores.
    static func points(_ ranked: RankedScores) -> [CurvePoint] {
        let positives = Double(ranked.positives)
        var result: [CurvePoint] = []
        result.reserveCapacity(ranked.thresholds.count + 1)
        result.append(CurvePoint(x: 0, y: 1, threshold: ranked.startThreshold))
        for i in ranked.thresholds.indices {
            let tp = ranked.truePositives[i]
            // Every distinct threshold has at least one row at or above it, so tp + fp > 0.
            let predicted = tp + ranked.falsePositives[i]
            let recall = positives > 0 ? Double(tp) / positives : 0
            let precision = predicted > 0 ? Double(tp) / Double(predicted) : 1
            result.append(
                CurvePoint(x: recall, y: precision, threshold: RankedScores.finite(Double(ranked.thresholds[i]))))
        }
        return result
    }

    /// At most `maxPoints` of `points`: the first and the last are always kept and the rest are
    /// taken at evenly spaced indices, in order. Returns `points` unchanged when it is already
    /// small enough, and `[]` when `maxPoints <= 0`.
    public static func thinned(_ points: [CurvePoint], maxPoints: Int) -> [CurvePoint] {
        CurveThinning.thinned(points, maxPoints: maxPoints)
    }
}
