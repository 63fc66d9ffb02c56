/// ROC and precision–recall curves of the held-out evaluation, thinned for storage and drawing.
public struct EvaluationCurves: Codable, Sendable, Equatable {
    /// (false-positive rate, true-positive rate) points.
    public var roc: [CurvePoint]
    /// (recall, precision) points.
    public var precisionRecall: [CurvePoint]

    /// At most this many points are kept per curve.
    public static let maxPoints = 201

    /// Computes both curves from labels and scores, thinned to `maxPoints`.
    public static func compute(labels: [Float], scores: [Float]) -> EvaluationCurves {
        EvaluationCurves(
            roc: ROCCurve.thinned(ROCCurve.points(labels: labels, scores: scores), maxPoints: maxPoints),
            precisionRecall: PRCurve.thinned(PRCurve.points(labels: labels, scores: scores), maxPoints: maxPoints))
    }

    /// Snake-case keys for the bundle's JSON.
    enum CodingKeys: String, CodingKey {
        case roc
        case precisionRecall = "precision_recall"
    }
}
