import ChurnML
import Foundation

/// How far the live inputs and scores of the served model moved from its training distribution,
/// over the monitor's rolling window.
public struct DriftReport: Sendable, Equatable {
    /// One input column's (or the score's) stability.
    public struct Entry: Sendable, Equatable {
        /// The column name.
        public var name: String
        /// Its PSI over the window (nil with no rows).
        public var index: Double?
        /// Its band.
        public var level: PopulationStability.Level {
            index.map(PopulationStability.level) ?? .stable
        }
    }

    /// The model name and version the window belongs to.
    public var model: String
    /// Its version.
    public var version: String
    /// Rows in the window.
    public var rows: Int
    /// Input columns, in schema order.
    public var columns: [Entry]
    /// The churn probability.
    public var score: Entry

    /// The worst band of any column or the score.
    public var level: PopulationStability.Level {
        (columns + [score]).map(\.level).max() ?? .stable
    }

    /// `drift alert: Age PSI 0.412; drift warning: score PSI 0.13` — the columns and score at
    /// warning or worse, worst first; nil when none is.
    public var note: String? {
        let flagged = (columns + [score]).filter { $0.level != .stable }
            .sorted { ($0.index ?? 0) > ($1.index ?? 0) }
        guard !flagged.isEmpty else { return nil }
        return flagged.map { "drift \($0.level.rawValue): \($0.name) PSI \(String(format: "%.3f", $0.index ?? 0))" }
            .joined(separator: "; ") + " (last \(rows) rows of \(model)@\(version))"
    }
}
