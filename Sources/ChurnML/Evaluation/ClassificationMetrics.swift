#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How well predicted probabilities match binary labels, at one decision threshold and over all
/// thresholds.
///
/// Definitions follow scikit-learn:
/// - `precision = tp / (tp + fp)`, 0 when nothing is predicted positive;
/// - `recall = tp / (tp + fn)`, 0 when there are no positives;
/// - `f1` is their harmonic mean, 0 when both are 0;
/// - `rocAUC` is the Mann–Whitney rank statistic (ties count 1/2), identical to the trapezoid
///   area under ``ROCCurve`` with tied scores grouped;
/// - `prAUC` is **average precision** exactly as `average_precision_score`: the step-wise sum
///   over distinct thresholds of `(R_n − R_{n−1}) · P_n`, not a trapezoid area;
/// - `logLoss` is the mean of `−[y log p + (1 − y) log(1 − p)]` with `p` clipped to
///   `[1e-7, 1 − 1e-7]` (the epsilon Keras uses; computed in `Double`);
/// - `brier` is the mean of `(p − y)²`.
///
/// `rocAUC` and `prAUC` are `nil` — JSON `null` — when only one class is present, because they
/// are undefined there.
///
/// JSON keys: `rows, accuracy, precision, recall, f1, roc_auc, pr_auc, log_loss, brier,
/// threshold, confusion_matrix`.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    /// Number of rows scored.
    public var rows: Int
    /// Fraction of rows classified correctly at `threshold`.
    public var accuracy: Double
    /// `tp / (tp + fp)` at `threshold`; 0 when nothing is predicted positive.
    public var precision: Double
    /// `tp / (tp + fn)` at `threshold`; 0 when there are no positives.
    public var recall: Double
    /// Harmonic mean of precision and recall; 0 when both are 0.
    public var f1: Double
    /// Area under the ROC curve; `nil` when one class is absent.
    public var rocAUC: Double?
    /// Average precision (step-wise area under the PR curve); `nil` when one class is absent.
    public var prAUC: Double?
    /// Mean binary cross-entropy with probabilities clipped to `[1e-7, 1 − 1e-7]`.
    public var logLoss: Double
    /// Mean squared difference between probability and label.
    public var brier: Double
    /// The decision threshold: a row is predicted positive iff its probability is `>= threshold`.
    public var threshold: Double
    /// Decision counts at `threshold`.
    public var confusionMatrix: ConfusionMatrix

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case rows, accuracy, precision, recall, f1
        case rocAUC = "roc_auc"
        case prAUC = "pr_auc"
        case logLoss = "log_loss"
        case brier, threshold
        case confusionMatrix = "confusion_matrix"
    }

    /// Creates metrics from their parts (for decoding old records or building expectations).
    public init(
        rows: Int, accuracy: Double, precision: Double, recall: Double, f1: Double,
        rocAUC: Double?, prAUC: Double?, logLoss: Double, brier: Double,
        threshold: Double, confusionMatrix: ConfusionMatrix
    ) {
        self.rows = rows
        self.accuracy = accuracy
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.rocAUC = rocAUC
        self.prAUC = prAUC
        self.logLoss = logLoss
        self.brier = brier
        self.threshold = threshold
        self.confusionMatrix = confusionMatrix
    }

    /// Encodes every key, writing `null` for an undefined AUC instead of leaving the key out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(accuracy, forKey: .accuracy)
        try container.encode(precision, forKey: .precision)
        try container.encode(recall, forKey: .recall)
        try container.encode(f1, forKey: .f1)
        try container.encode(rocAUC, forKey: .rocAUC)
        try container.encode(prAUC, forKey: .prAUC)
        try container.encode(logLoss, forKey: .logLoss)
        try container.encode(brier, forKey: .brier)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(confusionMatrix, forKey: .confusionMatrix)
    }

    /// The clipping bound for log loss (Keras's `epsilon()`).
    public static let logLossEpsilon = 1e-7

    /// Scores `probabilities` against `labels`.
    ///
    /// - Parameters:
    ///   - labels: 0 or 1 per row.
    ///   - probabilities: predicted probability of class 1 per row, in `[0, 1]`.
    ///   - threshold: a row is predicted positive iff its probability is `>= threshold`.
    /// - Throws: ``MetricsError`` when the arrays are empty or differ in length, a label is not
    ///   0 or 1, a probability is NaN or outside `[0, 1]`, or the threshold is not finite.
    /// - Complexity: O(n log n); the probabilities are sorted once for both AUCs.
    public static func compute(labels: [Float], probabilities: [Float], threshold: Double) throws
        -> ClassificationMetrics
    {
        guard labels.count == probabilities.count else {
            throw MetricsError.lengthMismatch(labels: labels.count, probabilities: probabilities.count)
        }
        guard !labels.isEmpty else { throw MetricsError.empty }
        guard threshold.isFinite else { throw MetricsError.invalidThreshold(threshold) }

        return try labels.withUnsafeBufferPointer { y in
            try probabilities.withUnsafeBufferPointer { p in
                var tp = 0
                var fp = 0
                var tn = 0
                var fn = 0
                var logLossSum = 0.0
                var brierSum = 0.0
                let lower = logLossEpsilon
                let upper = 1 - logLossEpsilon
                for i in 0..<y.count {
                    let label = y[i]
                    let probability = p[i]
                    guard label == 0 || label == 1 else { throw MetricsError.invalidLabel(index: i, value: label) }
                    guard probability >= 0, probability <= 1 else {
                        throw MetricsError.invalidProbability(index: i, value: probability)
                    }
                    let q = Double(probability)
                    let positive = label == 1
                    let predictedPositive = q >= threshold
                    switch (positive, predictedPositive) {
                    case (true, true): tp += 1
                    case (false, true): fp += 1
                    case (false, false): tn += 1
                    case (true, false): fn += 1
                    }
                    let clipped = Swift.min(Swift.max(q, lower), upper)
                    logLossSum -= positive ? log(clipped) : log(1 - clipped)
                    let difference = q - (positive ? 1 : 0)
                    brierSum += difference * difference
                }

                let rows = Double(y.count)
                let precision = tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0
                let recall = tp + fn > 0 ? Double(tp) / Double(tp + fn) : 0
                let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0

                var rocAUC: Double?
                var prAUC: Double?
                if tp + fn > 0, fp + tn > 0 {
                    let ranked = RankedScores(labels: y, scores: p)
                    rocAUC = ranked.rocAUC()
                    prAUC = ranked.averagePrecision()
                }
                return ClassificationMetrics(
                    rows: y.count,
                    accuracy: Double(tp + tn) / rows,
                    precision: precision,
                    recall: recall,
                    f1: f1,
                    rocAUC: rocAUC,
                    prAUC: prAUC,
                    logLoss: logLossSum / rows,
                    brier: brierSum / rows,
                    threshold: threshold,
                    confusionMatrix: ConfusionMatrix(tp: tp, fp: fp, tn: tn, fn: fn)
                )
            }
        }
    }
}
