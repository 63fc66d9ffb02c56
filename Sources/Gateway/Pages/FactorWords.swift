/// Explanation factors in plain words.
enum FactorWords {
    /// `Age is 62: raises the churn probability by 18.3 points compared with an average customer.`
    /// `value` is the row's value of the column, when known.
    static func sentence(_ factor: Scored.Factor, value: String?) -> String {
        let points = NumberText.fixed(abs(factor.contribution) * 100, 1)
        let subject = value.map { "\(factor.column) is \($0)" } ?? factor.column
        if abs(factor.contribution) < 0.0005 {
            return "\(subject): makes almost no difference."
        }
        let verb = factor.contribution > 0 ? "raises" : "lowers"
        return "\(subject): \(verb) the churn probability by \(points) points compared with an average customer."
    }

    /// `+18.3 Age, −4.1 Balance` (for tables).
    static func short(_ factors: [Scored.Factor]) -> String {
        factors.map {
            (($0.contribution >= 0) ? "+" : "−") + NumberText.fixed(abs($0.contribution) * 100, 1) + " " + $0.column
        }
        .joined(separator: ", ")
    }

    /// The HTML list of a row's factors, each coloured by direction.
    static func list(_ factors: [Scored.Factor], values: [String: String]) -> String {
        guard !factors.isEmpty else { return "" }
        let items = factors.map { factor in
            let direction = factor.contribution >= 0 ? "up" : "down"
            let arrow = factor.contribution >= 0 ? "▲" : "▼"
            return
                "<li class=\"\(direction)\"><span aria-hidden=\"true\">\(arrow)</span> \(HTML.escape(sentence(factor, value: values[factor.column])))</li>"
        }
        return "<ul class=\"factors\" id=\"factor-list\">\(items.joined())</ul>"
    }
}
