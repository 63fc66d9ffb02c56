/// Scores sorted once in decreasing order and grouped by distinct value, with cumulative counts of
/// positives and negatives at or above each distinct score — the role of scikit-learn's
/// `_binary_clf_curve`. ROC and PR curves, ROC-AUC and average precision are all single passes
/// over this.
///
/// Rules, shared by every caller:
/// - a label counts as positive when it is `>= 0.5` (NaN counts as negative);
/// - a NaN score ranks below every other score (it is treated as `-infinity`);
/// - `-0.0` and `+0.0` are the same score.
///
/// Building it sorts one `UInt64` key per row (the score's order-preserving bits and the label
/// bit) with a radix sort (``ScoreKeySort``), so it costs O(n) time and 16·n bytes of scratch.
struct RankedScores: Sendable {
    /// The distinct scores, strictly decreasing.
    private(set) var thresholds: [Float] = []
    /// `truePositives[i]`: positives whose score is `>= thresholds[i]`.
    private(set) var truePositives: [Int] = []
    /// `falsePositives[i]`: negatives whose score is `>= thresholds[i]`.
    private(set) var falsePositives: [Int] = []

    /// All positives.
    var positives: Int { truePositives.last ?? 0 }
    /// All negatives.
    var negatives: Int { falsePositives.last ?? 0 }

    /// Ranks `scores` with their `labels`; the two buffers must have the same count.
    init(labels: UnsafeBufferPointer<Float>, scores: UnsafeBufferPointer<Float>) {
        let count = Swift.min(labels.count, scores.count)
        guard count > 0 else { return }
        var keys = [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let descending = ~RankedScores.orderedBits(scores[i])
                let positive: UInt64 = labels[i] >= 0.5 ? 1 : 0
                buffer[i] = UInt64(descending) << 32 | positive
            }
            initialized = count
        }
        ScoreKeySort.sort(&keys)

        // Two linear passes over the sorted keys: count the distinct scores, then fill the
        // three arrays through raw buffers (no per-group `append`).
        let groups = keys.withUnsafeBufferPointer { sorted in
            var groups = 1
            for i in 1..<sorted.count where sorted[i] >> 32 != sorted[i - 1] >> 32 { groups += 1 }
            return groups
        }
        var thresholds = [Float](repeating: 0, count: groups)
        var truePositives = [Int](repeating: 0, count: groups)
        var falsePositives = [Int](repeating: 0, count: groups)
        keys.withUnsafeBufferPointer { sorted in
            thresholds.withUnsafeMutableBufferPointer { t in
                truePositives.withUnsafeMutableBufferPointer { tps in
                    falsePositives.withUnsafeMutableBufferPointer { fps in
                        var tp = 0
                        var fp = 0
                        var group = 0
                        for i in 0..<sorted.count {
                            let key = sorted[i]
                            if key & 1 == 1 { tp += 1 } else { fp += 1 }
                            // Close the group at its last key.
                            if i + 1 == sorted.count || sorted[i + 1] >> 32 != key >> 32 {
                                t[group] = RankedScores.score(fromOrderedBits: ~UInt32(truncatingIfNeeded: key >> 32))
                                tps[group] = tp
                                fps[group] = fp
                                group += 1
                            }
                        }
                    }
                }
            }
        }
        self.thresholds = thresholds
        self.truePositives = truePositives
        self.falsePositives = falsePositives
    }

    /// Area under the ROC curve by the Mann–Whitney rank formula: the fraction of
    /// (positive, negative) pairs in which the positive scores higher, a tie counting 1/2.
    /// This equals the trapezoid area under the ROC curve with tied scores grouped.
    /// `nil` when either class is absent.
    func rocAUC() -> Double? {
        let p = positives
        let n = negatives
        guard p > 0, n > 0 else { return nil }
        // Twice the pair count, summed exactly: each positive in a group beats the negatives
        // ranked strictly below the group (n - fp[i]) and ties with the group's own negatives
        // (dfp), which count half: dtp * (2 * (n - fp[i]) + dfp).
        var doubledWins = 0.0
        var previousTP = 0
        var previousFP = 0
        for i in thresholds.indices {
            let dtp = truePositives[i] - previousTP
            let dfp = falsePositives[i] - previousFP
            doubledWins += Double(dtp) * Double(2 * (n - falsePositives[i]) + dfp)
            previousTP = truePositives[i]
            previousFP = falsePositives[i]
        }
        return doubledWins / (2 * Double(p) * Double(n))
    }

    /// Average precision exactly as scikit-learn's `average_precision_score`: the step-wise sum
    /// over distinct thresholds (decreasing) of `(R_k - R_{k-1}) * P_k`, with `R_0 = 0` — not a
    /// trapezoid. `nil` when either class is absent.
    func averagePrecision() -> Double? {
        let p = positives
        guard p > 0, negatives > 0 else { return nil }
        var sum = 0.0
        var previousRecall = 0.0
        for i in thresholds.indices {
            let tp = Double(truePositives[i])
            let recall = tp / Double(p)
            let precision = tp / Double(truePositives[i] + falsePositives[i])
            sum += (recall - previousRecall) * precision
            previousRecall = recall
        }
        return sum
    }

    /// The threshold of the curves' starting point, at which nothing is predicted positive: one
    /// more than the highest score, as scikit-learn did before 1.3 (it now uses infinity, which
    /// JSON cannot carry).
    var startThreshold: Double {
        guard let top = thresholds.first else { return 1 }
        return RankedScores.finite(Double(top) + 1)
    }

    /// `value` clamped to the finite doubles (NaN becomes the lowest finite value).
    static func finite(_ value: Double) -> Double {
        if value.isNaN { return -Double.greatestFiniteMagnitude }
        return Swift.min(Swift.max(value, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
    }

    /// Bits of `score` whose unsigned order is the score's numeric order (NaN → -infinity,
    /// -0 → +0).
    @inline(__always)
    static func orderedBits(_ score: Float) -> UInt32 {
        var value = score.isNaN ? -Float.infinity : score
        if value == 0 { value = 0 }
        let bits = value.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }

    /// Inverse of ``orderedBits(_:)``.
    @inline(__always)
    static func score(fromOrderedBits ordered: UInt32) -> Float {
        Float(bitPattern: ordered & 0x8000_0000 != 0 ? ordered & 0x7FFF_FFFF : ~ordered)
    }

    /// The ranking of `scores` against `labels`, or nil when the arrays are empty or differ in length.
    static func ranking(labels: [Float], scores: [Float]) -> RankedScores? {
        guard labels.count == scores.count, !labels.isEmpty else { return nil }
        return labels.withUnsafeBufferPointer { l in
            scores.withUnsafeBufferPointer { s in RankedScores(labels: l, scores: s) }
        }
    }
}
