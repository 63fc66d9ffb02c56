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

    /// ROC-AUC of `scores` against `labels` (1 = positive), through dense ranks: each score's position
    /// among the sorted distinct scores (exact in `Float` up to 2^24 distinct scores).
    static func auc(_ scores: [Double], labels: [Float]) -> Double? {
        var distinct = scores
        distinct.sort()
        var count = 0
        for index in distinct.indices where count == 0 || distinct[index] != distinct[count - 1] {
            distinct[count] = distinct[index]
            count += 1
        }
        let ranked = scores.map { score -> Float in
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                if distinct[middle] < score { low = middle + 1 } else { high = middle }
            }
            return Float(low)
        }
        return RankedScores.ranking(labels: labels, scores: ranked)?.rocAUC()
    }
}
