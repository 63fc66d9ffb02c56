/// When a trainer moves a model name's `production` alias to the version a job published.
public enum PromotionPolicy: String, Codable, Sendable, CaseIterable {
    /// Never: publish only.
    case never
    /// Always: every published version becomes `production`.
    case always
    /// Only when the new version is strictly better than the current `production` version on the
    /// chosen metric, both evaluated on the job's held-out rows (no production yet: promote).
    case ifBetter = "if-better"
}

/// The metrics a promotion can compare, and which way is better.
public enum PromotionMetric {
    /// Metrics where a higher value is better.
    public static let higherIsBetter: Set<String> = ["accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc"]
    /// Metrics where a lower value is better.
    public static let lowerIsBetter: Set<String> = ["log_loss", "brier"]
    /// Every metric name a promotion accepts.
    public static var all: [String] { (higherIsBetter.union(lowerIsBetter)).sorted() }

    /// Whether `new` is strictly better than `old` on `metric` (false for an unknown metric).
    public static func isStrictlyBetter(_ new: Double, than old: Double, metric: String) -> Bool {
        if higherIsBetter.contains(metric) { return new > old }
        if lowerIsBetter.contains(metric) { return new < old }
        return false
    }
}
