/// One explanation factor as a short phrase for tables and files:
/// `Age 62 raises churn risk by 18.3 points`, `IsActiveMember 1 lowers churn risk by 6.0 points`.
public enum FactorPhrase {
    /// Contributions smaller than this (in probability units) read "makes almost no difference".
    public static let negligible = 0.0005

    /// The phrase for `column` with the row's `value` (nil when unknown) and its `contribution`.
    public static func phrase(column: String, value: String?, contribution: Double) -> String {
        let subject = value.map { $0.isEmpty ? "\(column) (missing)" : "\(column) \($0)" } ?? column
        guard abs(contribution) >= negligible else { return "\(subject) makes almost no difference" }
        let verb = contribution > 0 ? "raises" : "lowers"
        return "\(subject) \(verb) churn risk by \(points(contribution)) points"
    }

    /// `|contribution| · 100` with one decimal, e.g. `18.3`.
    public static func points(_ contribution: Double) -> String {
        let tenths = tenthsOfPoints(contribution)
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `|contribution| · 1000`, rounded: the points in tenths.
    static func tenthsOfPoints(_ contribution: Double) -> Int {
        let scaled = (abs(contribution) * 1000).rounded()
        return scaled < 1e15 ? Int(scaled) : Int(1e15)
    }
}
