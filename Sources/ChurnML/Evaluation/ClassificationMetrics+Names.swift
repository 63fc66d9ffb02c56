extension ClassificationMetrics {
    /// The one table of metric names (their JSON keys) and how to read each, in the order every
    /// listing shows them: the registry's index, the trainer's job results, the predictor's model
    /// info, the gateway's report and evaluation. A new metric is added here once.
    private static let table: [(name: String, value: @Sendable (ClassificationMetrics) -> Double?)] = [
        ("accuracy", { $0.accuracy }), ("precision", { $0.precision }), ("recall", { $0.recall }), ("f1", { $0.f1 }),
        ("roc_auc", { $0.rocAUC }), ("pr_auc", { $0.prAUC }), ("log_loss", { $0.logLoss }), ("brier", { $0.brier }),
    ]

    /// The metric names: `accuracy`, `precision`, `recall`, `f1`, `roc_auc`, `pr_auc`,
    /// `log_loss`, `brier` (`rows`, `threshold` and the confusion matrix are not metrics).
    public static let metricNames: [String] = table.map(\.name)

    /// Every metric with its name, in ``metricNames`` order; the AUCs are nil when undefined.
    public var namedValues: [(name: String, value: Double?)] {
        Self.table.map { ($0.name, $0.value(self)) }
    }

    /// The metrics by name as the registry indexes them: undefined and non-finite ones left out.
    public var indexedValues: [String: Double] {
        var result: [String: Double] = [:]
        for (name, value) in namedValues {
            if let value, value.isFinite { result[name] = value }
        }
        return result
    }
}
