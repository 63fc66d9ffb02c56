import NIOCore
import Wire

/// Scored rows as the pages and the API show them: the model that answered, and per row the
/// probability, label and named factors.
struct Scored: Sendable {
    /// One named factor (the wire client's, so that the CLI and the gateway name factors alike).
    typealias Factor = PredictBatch.NamedFactor

    /// Model name.
    var model: String
    /// Model version.
    var version: String
    /// The model's decision threshold.
    var threshold: Double
    /// Churn probability per row.
    var probabilities: [Float]
    /// `probability ≥ threshold` per row.
    var labels: [Bool]
    /// Per row, the largest factors first (empty lists without explanations).
    var factors: [[Factor]]
    /// Values encoded with a fallback, rows counted over the whole batch.
    var warnings: [PredictWarning]
}
