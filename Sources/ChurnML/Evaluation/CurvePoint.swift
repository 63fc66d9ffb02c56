/// One point of a ROC or precision–recall curve.
///
/// For ``ROCCurve`` `x` is the false-positive rate and `y` the true-positive rate; for ``PRCurve``
/// `x` is recall and `y` precision. `threshold` is the score at or above which rows count as
/// predicted positive at this point. It is always finite (non-finite values are clamped to
/// `±Double.greatestFiniteMagnitude`), so every point encodes to plain JSON.
public struct CurvePoint: Codable, Sendable, Equatable {
    /// False-positive rate (ROC) or recall (PR).
    public var x: Double
    /// True-positive rate (ROC) or precision (PR).
    public var y: Double
    /// The decision threshold this point belongs to.
    public var threshold: Double

    /// Creates a point.
    public init(x: Double, y: Double, threshold: Double) {
        self.x = x
        self.y = y
        self.threshold = threshold
    }
}
