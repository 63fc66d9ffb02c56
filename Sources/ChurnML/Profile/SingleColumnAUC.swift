/// ROC-AUC of one column's values alone as a score for the target: how well the column by itself
/// separates churned from staying customers. `churn profile` flags a feature whose separation is
/// above 0.99 as suspected leakage.
///
/// The area is the Mann–Whitney pair count of ``RankedScores/rocAUC()`` (ties count one half). Scores
/// are ranked in `Double` first and passed on as dense ranks, so no two values collapse into one
/// `Float`.
enum SingleColumnAUC {
    /// ROC-AUC of numbers as scores; rows whose value is missing are left out. `nil` when a class is
    /// absent among the remaining rows.
    static func numbers(_ values: [Double?], labels: [Float]) -> Double? {
        var scores: [Double] = []
        var kept: [Float] = []
        for (value, label) in zip(values, labels) {
            guard let value else { continue }
            scores.append(value)
            kept.append(label)
        }
        return auc(scores, labels: kept)
    }

    /// ROC-AUC of categories, each scored by its share of positive labels (a missing value, `nil`,
    /// is a category of its own). `nil` when a class is absent.
    static func categories<Key: Hashable>(_ keys: [Key?], labels: [Float]) -> Double? {
        var positives: [Key?: Int] = [:]
        var totals: [Key?: Int] = [:]
        for (key, label) in zip(keys, labels) {
            totals[key, default: 0] += 1
            if label >= 0.5 { positives[key, default: 0] += 1 }
        }
        let scores = keys.map { key in Double(positives[key] ?? 0) / Double(max(1, totals[key] ?? 1)) }
        return auc(scores, labels: labels)
    }

    /// How well `auc` separates the classes in either direction: `max(auc, 1 - auc)`.
    static func separation(_ auc: Double) -> Double {
        max(auc, 1 - auc)
    }

    /// ROC-AUC of `scores` against `labels` (1 = positive), through dense ranks (found by sorting the
    /// rows by score; exact in `Float` up to 2^24 distinct scores).
    static func auc(_ scores: [Double], labels: [Float]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var ranked = [Float](repeating: 0, count: scores.count)
        var rank: Float = -1
        var previous: Double?
        for row in order {
            if scores[row] != previous {
                rank += 1
                previous = scores[row]
            }
            ranked[row] = rank
        }
        return RankedScores.ranking(labels: labels, scores: ranked)?.rocAUC()
    }
}
