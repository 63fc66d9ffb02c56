import Foundation

/// The population stability index (PSI) of a live window against a training distribution:
/// `Σ (actual − expected) · ln(actual / expected)` over the bins, each share floored at
/// ``floor`` so that an empty bin counts as rare rather than infinitely surprising. Below 0.1 the
/// population is stable; 0.1 to 0.25 a warning; above 0.25 an alert (the customary bands).
public enum PopulationStability {
    /// The smallest share a bin counts with.
    public static let floor = 0.0001
    /// At or above this: a warning.
    public static let warning = 0.1
    /// At or above this: an alert.
    public static let alert = 0.25

    /// How far a population moved.
    public enum Level: String, Codable, Sendable, Comparable {
        /// Below the warning band.
        case stable
        /// In the warning band.
        case warning
        /// At or above the alert threshold.
        case alert

        public static func < (lhs: Level, rhs: Level) -> Bool {
            let order: [Level] = [.stable, .warning, .alert]
            return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
        }
    }

    /// The PSI of `counts` (one per bin) against `expected` shares; nil with no counts or when
    /// the bin counts differ.
    public static func index(expected: [Double], counts: [Int]) -> Double? {
        let total = counts.reduce(0, +)
        guard total > 0, expected.count == counts.count else { return nil }
        var index = 0.0
        for (share, count) in zip(expected, counts) {
            let e = max(share, floor)
            let a = max(Double(count) / Double(total), floor)
            index += (a - e) * log(a / e)
        }
        return index
    }

    /// The band `index` falls in.
    public static func level(_ index: Double) -> Level {
        index >= alert ? .alert : index >= warning ? .warning : .stable
    }
}
