/// The receiver operating characteristic curve: false-positive rate (`x`) against true-positive
/// rate (`y`) as the decision threshold falls.
///
/// Like scikit-learn's `roc_curve(drop_intermediate=False)`: the first point is `(0, 0)` at a
/// threshold above every score (the highest score + 1, as scikit-learn did before 1.3; it now
/// uses infinity, which JSON cannot carry), then one point per distinct score in decreasing
/// order, so the last point is `(1, 1)`. Tied scores form one point.
///
/// Input rules (this function does not throw): a label counts as positive when it is `>= 0.5`;
/// a NaN score ranks lowest; when the arrays differ in length or are empty the result is empty.
/// When there are no negatives every `x` is 0, and when there are no positives every `y` is 0
/// (scikit-learn gives NaN there). Use ``ClassificationMetrics/compute(labels:probabilities:threshold:)``
/// to validate input. O(n log n) time: the scores are sorted once.
public enum ROCCurve {
    /// The ROC curve of `scores` against `labels`.
    public static func points(labels: [Float], scores: [Float]) -> [CurvePoint] {
        RankedScores.ranking(labels: labels, scores: scores).map(points) ?? []
    }

    /// The ROC curve of an already ranked set of scores.
    static func points(_ ranked: RankedScores) -> [CurvePoint] {
        let positives = Double(ranked.positives)
        let negatives = Double(ranked.negatives)
        var result: [CurvePoint] = []
        result.reserveCapacity(ranked.thresholds.count + 1)
        result.append(CurvePoint(x: 0, y: 0, threshold: ranked.startThreshold))
        for i in ranked.thresholds.indices {
            let fpr = negatives > 0 ? Double(ranked.falsePositives[i]) / negatives : 0
            let tpr = positives > 0 ? Double(ranked.truePositives[i]) / positives : 0
            result.append(CurvePoint(x: fpr, y: tpr, threshold: RankedScores.finite(Double(ranked.thresholds[i]))))
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
