/// Computing a profile from a table.
extension DataProfile {
    /// A feature column whose values alone give a single-column ROC-AUC above this (in either
    /// direction) is suspected of leaking the target.
    public static let leakageThreshold = 0.99

    /// Profiles `table` the way `churn train` would read it, without refusing anything.
    ///
    /// - The target is found as ``SchemaInference/prepare(_:target:overrides:)`` finds it (`target`,
    ///   then the overrides, then by name); when that fails, `targetError` says why and the rest of
    ///   the profile is still made (without balance and leakage).
    /// - Every column gets the role inference gives it and the same reason a ``ColumnNote`` would
    ///   print (one source of truth, ``ColumnAssessment``); roles from the schema file say so. A
    ///   column of numbers with a few stray texts — an error for `churn train` — has role `numeric`,
    ///   type `numeric`, and its non-numbers as `problems` (the first five with their lines) and
    ///   `problemCount`.
    /// - Duplicate ids: columns named like an id, or with role `id` and at least 99% distinct values,
    ///   whose values repeat.
    /// - Leakage: a feature column whose values alone give the target a single-column ROC-AUC above
    ///   ``leakageThreshold`` (numbers: the values as scores, max(auc, 1 − auc); categories: each
    ///   category's positive rate as the score).
    /// - `flags`: target problems, stray texts, leakage, duplicate ids, constant or empty columns, then
    ///   every other dropped or reinterpreted column (the notes `churn train` prints).
    public static func make(_ table: Table, target: String?, overrides: SchemaOverrides?) -> DataProfile {
        let resolved = ProfileTarget(table, requested: target, overrides: overrides)
        let builder = ProfileColumnBuilder(table: table, overrides: overrides, targetName: resolved.balance?.column)
        let columns = table.columnNames.indices.map { builder.report($0) }
        var leakage: [LeakageSuspect] = []
        if let labels = resolved.labels, let targetName = resolved.balance?.column {
            for (index, column) in columns.enumerated() where column.role.isFeature && column.name != targetName {
                guard let auc = builder.singleColumnAUC(index, role: column.role, labels: labels) else { continue }
                let separation = SingleColumnAUC.separation(auc)
                if separation > leakageThreshold {
                    leakage.append(LeakageSuspect(column: column.name, rocAUC: separation))
                }
            }
        }
        let duplicates = table.columnNames.indices.compactMap { builder.duplicateIds($0, role: columns[$0].role) }
        var profile = DataProfile(
            source: table.source, rows: table.rowCount, dialect: table.dialect, target: resolved.balance,
            targetError: resolved.error, columns: columns, duplicateIds: duplicates, leakage: leakage, flags: [])
        profile.flags = profile.makeFlags(builder: builder, overrides: overrides, table: table)
        return profile
    }

    /// The flags, in the order they matter (see ``make(_:target:overrides:)``).
    private func makeFlags(builder: ProfileColumnBuilder, overrides: SchemaOverrides?, table: Table) -> [String] {
        var flags: [String] = []
        if let targetError { flags.append("no target: \(targetError)") }
        let overrideSource = overrides?.sourceName ?? "the schema overrides"
        for name in (Array((overrides?.columns ?? [:]).keys) + Array((overrides?.invalid ?? [:]).keys)).sorted()
        where table.columnIndex(named: name) == nil {
            flags.append("\(overrideSource) names column \"\(name)\", which is not in the file")
        }
        for column in columns where column.problemCount > 0 {
            let count = column.problemCount
            var line =
                "\(column.name): \(GroupedNumber.text(count)) \(count == 1 ? "value is not a number" : "values are not numbers") ("
                + column.problems.map { "line \($0.line) \"\(DataError.abbreviated($0.value))\"" }.joined(
                    separator: ", ")
                + (count > column.problems.count ? ", ..." : "") + "); "
            if overrides?.invalid?[column.name] == .missing {
                line += "read as missing (\"invalid\": \"missing\" in \(overrideSource))"
            } else {
                line +=
                    "churn train refuses the file until it is fixed or the column is declared "
                    + "{\"role\": \"numeric\", \"invalid\": \"missing\"} in --schema"
            }
            flags.append(line)
        }
        for suspect in leakage {
            flags.append(
                "\(suspect.column): alone predicts \(target?.column ?? "the target") with ROC-AUC \(Self.fixed(suspect.rocAUC, digits: 3)); "
                    + "it may leak the answer (known only after the customer left?); drop it with {\"columns\": {\"\(suspect.column)\": \"id\"}}"
            )
        }
        for duplicate in duplicateIds {
            let examples = duplicate.examples.map {
                "\($0.value) on lines \($0.lines.map(String.init).joined(separator: ", "))"
            }
            let more = duplicate.duplicateRows > duplicate.examples.reduce(0) { $0 + $1.lines.count - 1 } ? "; ..." : ""
            flags.append(
                "\(duplicate.column): \(GroupedNumber.text(duplicate.duplicateRows)) "
                    + "\(duplicate.duplicateRows == 1 ? "row repeats an earlier id" : "rows repeat an earlier id") ("
                    + examples.joined(separator: "; ") + more + ")")
        }
        let notes = builder.notes
        flags += notes.filter { builder.isConstant($0.column) }.map(\.description)
        flags += notes.filter { !builder.isConstant($0.column) }.map(\.description)
        return flags
    }

    /// `value` with exactly `digits` decimals (`0.99876` → `0.999`).
    static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.description }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return (value < 0 && scaled != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + fraction : "")
    }
}
