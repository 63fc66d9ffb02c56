import ChurnML
import Foundation
import Wire

/// A dataset's dialect and data profile as HTML, from the JSON the registry stores with the dataset
/// (ChurnML's `CSVDialect` and `DataProfile`). Every text from the file (column names, values, flags)
/// is escaped.
enum DatasetProfileHTML {
    /// The decoded profile of `record`, nil when it has none (pushed before profiles) or it does not decode.
    static func profile(_ record: DatasetRecord) -> DataProfile? {
        record.profile.flatMap { try? JSONDecoder().decode(DataProfile.self, from: Data($0.utf8)) }
    }

    /// `comma-separated, UTF-8` — or `not recorded`.
    static func dialect(_ record: DatasetRecord) -> String {
        let dialect =
            record.dialect.flatMap { try? JSONDecoder().decode(CSVDialect.self, from: Data($0.utf8)) }
            ?? profile(record)?.dialect
        return dialect?.description ?? "not recorded"
    }

    /// The target in words: `Exited (20.4% "1")`, or why there is none.
    static func target(_ profile: DataProfile) -> String {
        if let target = profile.target {
            return
                "\(HTML.escape(target.column)) <span class=\"muted\">(\(NumberText.fixed(target.positiveRate * 100, 1))% &quot;\(HTML.escape(target.positive))&quot;)</span>"
        }
        return "<span class=\"muted\">none found\(profile.targetError.map { ": " + HTML.escape($0) } ?? "")</span>"
    }

    /// The whole profile: summary, flags, and one row per column.
    static func full(_ record: DatasetRecord) -> String {
        guard let profile = profile(record) else {
            return HTML.notice(
                "info",
                "No profile is recorded for this dataset (it was pushed before the registry kept profiles). Push the file again to profile it."
            )
        }
        var html = """
            <section class="card" id="profile"><h2>Profile</h2>
            <p><b id="profile-rows">\(GroupedNumber.text(profile.rows)) rows</b> · <span id="profile-columns">\(GroupedNumber.text(profile.columns.count)) columns</span> · \
            <span id="profile-dialect">\(HTML.escape(dialect(record)))</span> · target <span id="profile-target">\(target(profile))</span></p>
            """
        if !profile.flags.isEmpty {
            html += "<ul id=\"profile-flags\">" + profile.flags.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        }
        html +=
            "<table id=\"profile-table\"><thead><tr><th>column</th><th>type</th><th>role</th><th>why</th><th class=\"num\">missing</th><th class=\"num\">distinct</th><th>range or top values</th></tr></thead><tbody>"
        for column in profile.columns {
            let role =
                HTML.escape(column.role.rawValue)
                + (column.dropped ? " <span class=\"badge\" style=\"background:#829ab1\">dropped</span>" : "")
            var problems = ""
            if column.problemCount > 0 {
                problems =
                    "<br><span class=\"field-error\">\(column.problemCount) value\(column.problemCount == 1 ? "" : "s") of the wrong type: "
                    + column.problems.prefix(3).map { "line \($0.line) &quot;\(HTML.escape($0.value))&quot;" }.joined(
                        separator: ", ") + "</span>"
            }
            html += """
                <tr><td>\(HTML.escape(column.name))</td><td>\(HTML.escape(column.type))</td><td>\(role)</td><td>\(HTML.escape(column.reason))\(problems)</td>\
                <td class="num">\(column.missing)</td><td class="num">\(column.distinct)</td><td>\(rangeOrTop(column))</td></tr>
                """
        }
        html += "</tbody></table>"
        if !profile.duplicateIds.isEmpty || !profile.leakage.isEmpty {
            let duplicates = profile.duplicateIds.map {
                "<li>\(HTML.escape($0.column)): \($0.duplicateRows) repeated ids</li>"
            }
            let leaks = profile.leakage.map {
                "<li>\(HTML.escape($0.column)) alone separates the target (ROC AUC \(NumberText.fixed($0.rocAUC, 3)))</li>"
            }
            html += "<ul>" + (duplicates + leaks).joined() + "</ul>"
        }
        return html + "</section>"
    }

    /// `18 – 92 (mean 38.9)` for numbers, `France 5014 · Germany 2509 · …` for the rest.
    static func rangeOrTop(_ column: DataProfile.ColumnReport) -> String {
        if column.top.isEmpty, let minimum = column.minimum, let maximum = column.maximum {
            let mean =
                column.mean.map {
                    " <span class=\"muted\">(mean \(HTML.escape(NumberText.format(($0 * 100).rounded() / 100))))</span>"
                } ?? ""
            return "\(HTML.escape(NumberText.format(minimum))) – \(HTML.escape(NumberText.format(maximum)))\(mean)"
        }
        let shown = column.top.prefix(5).map { "\(HTML.escape($0.value)) <span class=\"muted\">\($0.count)</span>" }
            .joined(separator: " · ")
        return column.top.count > 5 ? shown + " · …" : shown
    }
}
