import ChurnML
import Foundation

/// The dialect and data profile of a dataset record as text for `churn datasets show`. One place, so
/// that the profile's own renderer can take over when it exists.
enum DatasetProfileText {
    /// `dialect:     comma-separated, UTF-8` from the record's dialect JSON (the raw JSON when it does not
    /// decode; `not recorded` for datasets pushed before registries recorded it).
    static func dialectLine(_ json: String?) -> String {
        guard let json else { return "dialect:     not recorded" }
        guard let dialect = try? JSONDecoder().decode(CSVDialect.self, from: Data(json.utf8)) else {
            return "dialect:     \(json)"
        }
        return "dialect:     \(dialect.description)"
    }

    /// The profile: rows, target balance, then one line per column (role, missing, distinct, range or
    /// top values) and the flags. `nil` JSON (an old record) says it was not recorded; JSON that does not
    /// decode is printed as it is.
    static func render(_ json: String?) -> String {
        guard let json else { return "profile:     not recorded (pushed before the registry kept profiles)" }
        guard let profile = try? JSONDecoder().decode(DataProfile.self, from: Data(json.utf8)) else {
            return "profile:     \(json)"
        }
        var lines = ["profile:     \(profile.rows) rows, \(profile.columns.count) columns"]
        if let target = profile.target {
            lines.append(
                "target:      \(target.column) (positive \"\(target.positive)\": \(target.positives) of \(target.positives + target.negatives), "
                    + String(format: "%.1f%%", target.positiveRate * 100) + ")")
        } else if let error = profile.targetError {
            lines.append("target:      not found (\(error))")
        }
        var table = TextTable(headings: ["COLUMN", "TYPE", "ROLE", "MISSING", "DISTINCT", "RANGE / TOP", "WHY"])
        for column in profile.columns {
            table.rows.append([
                column.name, column.type, column.role.rawValue + (column.dropped ? " (dropped)" : ""), "\(column.missing)",
                "\(column.distinct)", summary(column), column.reason,
            ])
        }
        lines.append(table.render())
        for flag in profile.flags { lines.append("flag:        \(flag)") }
        return lines.joined(separator: "\n")
    }

    /// `18 … 92` for numbers, `France 5014, Germany 2509, …` (three) for texts.
    static func summary(_ column: DataProfile.ColumnReport) -> String {
        if let minimum = column.minimum, let maximum = column.maximum, column.top.isEmpty {
            return "\(ColumnData.format(minimum)) … \(ColumnData.format(maximum))"
        }
        let top = column.top.prefix(3).map { "\($0.value) \($0.count)" }.joined(separator: ", ")
        return column.top.count > 3 ? top + ", …" : top
    }
}
