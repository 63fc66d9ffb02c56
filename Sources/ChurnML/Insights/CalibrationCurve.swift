/// A reliability diagram: rows grouped into equal-width bins of predicted probability, each with its
/// mean prediction and the churn rate actually observed (scikit-learn's `calibration_curve` with
/// `strategy="uniform"`; a probability of exactly 1 falls in the last bin). Empty bins are left out.
public struct CalibrationCurve: Codable, Sendable, Equatable {
    /// One probability bin.
    public struct Bin: Codable, Sendable, Equatable {
        /// Lower edge.
        public var lower: Double
        /// Upper edge.
        public var upper: Double
        /// Rows in the bin.
        public var rows: Int
        /// Mean predicted probability of those rows.
        public var meanPredicted: Double
        /// Share of those rows that churned.
        public var observed: Double

        /// Snake-case keys.
        enum CodingKeys: String, CodingKey {
            case lower, upper, rows
            case meanPredicted = "mean_predicted"
            case observed
        }
    }

    /// Non-empty bins, lowest first.
    public var bins: [Bin]
    /// Expected calibration error: Σ rows/n · |observed − meanPredicted|.
    public var expectedCalibrationError: Double

    /// Bins `scores` into `binCount` equal bins of [0, 1].
    public static func compute(labels: [Float], scores: [Float], binCount: Int = 10) -> CalibrationCurve {
        let count = min(labels.count, scores.count)
        let binCount = max(1, binCount)
        var rows = [Int](repeating: 0, count: binCount)
        var predicted = [Double](repeating: 0, count: binCount)
        var churners = [Int](repeating: 0, count: binCount)
        for i in 0..<count {
            let score = Double(scores[i])
            guard score.isFinite else { continue }
            let bin = min(binCount - 1, max(0, Int(score * Double(binCount))))
            rows[bin] += 1
            predicted[bin] += score
            if labels[i] >= 0.5 { churners[bin] += 1 }
        }
        var bins: [Bin] = []
        var error = 0.0
        let total = rows.reduce(0, +)
        for bin in 0..<binCount where rows[bin] > 0 {
            let mean = predicted[bin] / Double(rows[bin])
            let observed = Double(churners[bin]) / Double(rows[bin])
            bins.append(
                Bin(
                    lower: Double(bin) / Double(binCount), upper: Double(bin + 1) / Double(binCount), rows: rows[bin],
                    meanPredicted: mean, observed: observed))
            error += Double(rows[bin]) / Double(total) * abs(observed - mean)
        }
        return CalibrationCurve(bins: bins, expectedCalibrationError: error)
    }

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case bins
        case expectedCalibrationError = "expected_calibration_error"
    }
}
