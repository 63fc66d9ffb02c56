import ChurnML

/// Human-readable renderings of metrics for the terminal.
enum MetricsText {
    /// A small aligned block of the metrics and the confusion matrix.
    static func render(_ metrics: ClassificationMetrics, heading: String) -> String {
        func value(_ number: Double?) -> String { number.map { ProgressBar.format($0) } ?? "n/a (one class only)" }
        let matrix = metrics.confusionMatrix
        return """
            \(heading):
              accuracy   \(value(metrics.accuracy))    precision \(value(metrics.precision))    recall \(value(metrics.recall))    f1 \(value(metrics.f1))
              roc_auc    \(value(metrics.rocAUC))    pr_auc    \(value(metrics.prAUC))
              log_loss   \(value(metrics.logLoss))    brier     \(value(metrics.brier))    threshold \(value(metrics.threshold))
              confusion  tp \(matrix.tp)  fp \(matrix.fp)  tn \(matrix.tn)  fn \(matrix.fn)
            """
    }
}
