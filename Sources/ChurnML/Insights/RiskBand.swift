/// A coarse reading of a churn probability relative to the model's decision threshold `t`:
/// `low` below t/2, `moderate` below t, `high` below (1+t)/2, `very high` from there
/// (with t = 0.5: 0–25 %, 25–50 %, 50–75 %, 75–100 %).
public enum RiskBand: String, Codable, Sendable, CaseIterable {
    /// Well under the threshold.
    case low
    /// Under the threshold but closer to it.
    case moderate
    /// At or over the threshold.
    case high
    /// Far over the threshold.
    case veryHigh = "very high"

    /// The band of `probability` for a model with `threshold`.
    public init(probability: Double, threshold: Double) {
        let t = threshold.isFinite ? min(max(threshold, 0), 1) : 0.5
        if probability < t / 2 {
            self = .low
        } else if probability < t {
            self = .moderate
        } else if probability < (1 + t) / 2 {
            self = .high
        } else {
            self = .veryHigh
        }
    }
}
