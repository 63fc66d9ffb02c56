// TEMPORARY (gateway branch): a minimal `DataProfile.make` so the registry and the gateway have a
// profile to store and show. The profile work replaces this file with the real computation (reasons,
// type problems, duplicate ids, leakage, flags) at merge; nothing else depends on its internals.

extension DataProfile {
    /// Profiles `table`: rows, dialect, every column's role (from ``SchemaInference``; without a target,
    /// the role each column would get as a feature), missing and distinct counts, range and mean of
    /// numbers, the ten most frequent values of text, and the target's balance. `target` and
    /// `overrides` are passed to ``SchemaInference/infer(_:target:overrides:)``.
    public static func make(_ table: Table, target: String?, overrides: SchemaOverrides?) -> DataProfile {
        var schema: Schema?
        var targetError: String?
        do {
            schema = try SchemaInference.infer(table, target: target, overrides: overrides)
        } catch {
            targetError = (error as? DataError)?.description ?? "\(error)"
        }
        var reports: [ColumnReport] = []
        for (index, name) in table.columnNames.enumerated() {
            let column = table.columns[index]
            let role = schema?.role(of: name) ?? ColumnProfile(column).inferredRole
            reports.append(report(name: name, column: column, role: role))
        }
        var balance: TargetBalance?
        if let schema, let index = table.columnIndex(named: schema.target) {
            let column = table.columns[index]
            var positives = 0
            var negatives = 0
            var negative = ""
            for row in 0..<table.rowCount where !column.isMissing(at: row) {
                let value = column.displayValue(at: row)
                if value == schema.positiveLabel || value.lowercased() == schema.positiveLabel.lowercased() {
                    positives += 1
                } else {
                    negatives += 1
                    negative = value
                }
            }
            let total = positives + negatives
            balance = TargetBalance(
                column: schema.target, positive: schema.positiveLabel, negative: negative, positives: positives,
                negatives: negatives, positiveRate: total == 0 ? 0 : Double(positives) / Double(total))
        }
        return DataProfile(
            source: table.source, rows: table.rowCount, dialect: table.dialect, target: balance, targetError: targetError,
            columns: reports, duplicateIds: [], leakage: [], flags: [])
    }

    /// One column's counts.
    private static func report(name: String, column: ColumnData, role: ColumnRole) -> ColumnReport {
        var missing = 0
        var counts: [String: Int] = [:]
        var minimum: Double?
        var maximum: Double?
        var sum = 0.0
        var numbers = 0
        for row in 0..<column.count {
            if column.isMissing(at: row) {
                missing += 1
                continue
            }
            counts[column.displayValue(at: row), default: 0] += 1
            if case .numeric(let values) = column, let value = values[row] {
                minimum = Swift.min(minimum ?? value, value)
                maximum = Swift.max(maximum ?? value, value)
                sum += value
                numbers += 1
            }
        }
        let top = column.isNumeric && role != .binary && role != .target
            ? []
            : counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(10)
                .map { ValueCount(value: $0.key, count: $0.value) }
        return ColumnReport(
            name: name, type: column.isNumeric ? "numeric" : "text", role: role, reason: "", dropped: role == .id,
            missing: missing, distinct: counts.count, minimum: minimum, maximum: maximum,
            mean: numbers == 0 ? nil : sum / Double(numbers), top: top, problems: [], problemCount: 0)
    }
}
