/// Why a set of labels and predicted probabilities cannot be scored.
///
/// Thrown by ``ClassificationMetrics/compute(labels:probabilities:threshold:)``. Indices are
/// 0-based positions in the arrays that were passed in.
public enum MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// There are no rows to score.
    case empty
    /// The label and probability arrays have different lengths.
    case lengthMismatch(labels: Int, probabilities: Int)
    /// A label is neither 0 nor 1 (NaN included).
    case invalidLabel(index: Int, value: Float)
    /// A probability is NaN or outside `[0, 1]`.
    case invalidProbability(index: Int, value: Float)
    /// The decision threshold is NaN or infinite.
    case invalidThreshold(Double)

    /// A one-line message that says what is wrong and where.
    public var description: String {
        switch self {
        case .empty:
            return "cannot compute metrics: there are no rows"
        case .lengthMismatch(let labels, let probabilities):
            return "cannot compute metrics: \(labels) labels but \(probabilities) probabilities"
        case .invalidLabel(let index, let value):
            return "label at index \(index) is \(value); labels must be 0 or 1"
        case .invalidProbability(let index, let value):
            return "probability at index \(index) is \(value); probabilities must be in [0, 1]"
        case .invalidThreshold(let value):
            return "decision threshold \(value) is not a finite number"
        }
    }
}
