/// Counts of a binary classifier's decisions at one threshold.
///
/// Encoded in JSON with the keys `tp`, `fp`, `tn`, `fn`.
public struct ConfusionMatrix: Codable, Sendable, Equatable {
    /// Positives predicted positive.
    public var tp: Int
    /// Negatives predicted positive.
    public var fp: Int
    /// Negatives predicted negative.
    public var tn: Int
    /// Positives predicted negative.
    public var fn: Int

    /// Creates a matrix from its four counts.
    public init(tp: Int, fp: Int, tn: Int, fn: Int) {
        self.tp = tp
        self.fp = fp
        self.tn = tn
        self.fn = fn
    }

    /// All rows counted: `tp + fp + tn + fn`.
    public var total: Int { tp + fp + tn + fn }
}
