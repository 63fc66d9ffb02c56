/// The terminal form of a profile, as `churn profile` prints it.
extension DataProfile {
    /// How many top categories a column's line shows.
    static let renderedCategories = 5

    /// A readable report: size and dialect, the target's balance, one line per column (role, missing,
    /// distinct, range or top categories) with the reason and any values of the wrong type under it,
    /// then duplicate ids, suspected leakage and the flags.
    public func render() -> String {
        var lines: [String] = []
        var heading = "\(source): \(GroupedNumber.text(rows)) rows, \(columns.count) columns"
        if let dialect { heading += " (\(dialect.description))" }
        lines.append(heading)
        if let target {
            let rate = Self.fixed(target.positiveRate * 100, digits: 1)
            lines.append(
                "target \(target.column): \"\(target.positive)\" (churned) in \(GroupedNumber.text(target.positives)) rows (\(rate)%), "
                    + "\"\(target.negative)\" in \(GroupedNumber.text(target.negatives))")
        } else {
            lines.append("target: none (\(targetError ?? "not found"))")
        }
        lines.append("")
        lines += columnTable()
        lines.append("")
        if !duplicateIds.isEmpty {
            lines.append("duplicate ids")
            for duplicate in duplicateIds {
                let examples = duplicate.examples.map {
                    "\($0.value) (lines \($0.lines.map(String.init).joined(separator: ", ")))"
                }
                lines.append(
                    "  \(duplicate.column): \(GroupedNumber.text(duplicate.duplicateRows)) repeated rows, e.g. \(examples.joined(separator: ", "))"
                )
            }
        }
        if !leakage.isEmpty {
            lines.append("suspected leakage (single-column ROC-AUC > \(Self.leakageThreshold))")
            for suspect in leakage { lines.append("  \(suspect.column): \(Self.fixed(suspect.rocAUC, digits: 3))") }
        }
        if flags.isEmpty {
            lines.append("flags: none")
        } else {
            lines.append("flags")
            for flag in flags { lines.append("  - \(flag)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The column table: a header, then per column a line of facts and an indented line of reasons.
    private func columnTable() -> [String] {
        let nameWidth = max(6, columns.map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        func padLeft(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        var lines = [
            pad("column", nameWidth) + "  " + pad("type", 7) + "  " + pad("role", 17) + "  " + padLeft("missing", 7)
                + "  "
                + padLeft("distinct", 8) + "  values"
        ]
        for column in columns {
            let role = column.role.rawValue + (column.dropped ? " (not used)" : "")
            lines.append(
                pad(column.name, nameWidth) + "  " + pad(column.type, 7) + "  " + pad(role, 17) + "  "
                    + padLeft(GroupedNumber.text(column.missing), 7) + "  "
                    + padLeft(GroupedNumber.text(column.distinct), 8) + "  "
                    + Self.values(column))
            lines.append(String(repeating: " ", count: nameWidth + 2) + "why: " + column.reason)
            if column.problemCount > 0 {
                let listed = column.problems.map { "line \($0.line) \"\(DataError.abbreviated($0.value))\"" }.joined(
                    separator: ", ")
                lines.append(
                    String(repeating: " ", count: nameWidth + 2)
                        + "not numbers: \(GroupedNumber.text(column.problemCount)) (\(listed)"
                        + (column.problemCount > column.problems.count ? ", ..." : "") + ")")
            }
        }
        return lines
    }

    /// `350 … 850, mean 650.53`, or `France 5,014, Germany 2,509, Spain 2,477`.
    private static func values(_ column: ColumnReport) -> String {
        if !column.top.isEmpty {
            let shown = column.top.prefix(renderedCategories).map {
                "\(DataError.abbreviated($0.value)) \(GroupedNumber.text($0.count))"
            }
            let more =
                column.distinct > shown.count ? ", … (\(GroupedNumber.text(column.distinct - shown.count)) more)" : ""
            return shown.joined(separator: ", ") + more
        }
        guard let minimum = column.minimum, let maximum = column.maximum else { return "" }
        let mean = column.mean.map { ", mean " + ColumnData.format(($0 * 100).rounded() / 100) } ?? ""
        return "\(ColumnData.format(minimum)) … \(ColumnData.format(maximum))\(mean)"
    }
}
