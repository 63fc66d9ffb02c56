/// Decides every column's role from the data, applying the user's overrides.
public enum SchemaInference {
    /// Column names (lower-cased) that mark a likely target.
    static let targetNames: Set<String> = [
        "exited", "churn", "churned", "attrition", "attrited", "is_churn", "has_churned", "left", "target", "label",
    ]
    /// Target values (lower-cased) that mean "churned".
    static let positiveValues: Set<String> = ["1", "true", "yes", "y", "churn", "churned", "exited", "left", "attrited"]

    /// Infers the schema of `table`.
    ///
    /// **Target.** The `target` argument (the `--target` option), else `overrides.target`, else the
    /// column given role `target` in `overrides.columns`, else found by name: the one column whose
    /// lower-cased name is `exited`, `churn`, `churned`, `attrition`, `attrited`, `is_churn`,
    /// `has_churned`, `left`, `target` or `label`; failing that, the one column whose name contains
    /// `churn`. No candidate, or several, is an error asking for `--target`. The target must have
    /// no missing value and exactly two distinct values.
    ///
    /// **Positive label.** `overrides.positive` (which must be one of the two values; compared as a
    /// number for a numeric target, else exactly, else ignoring case), else the one value that is,
    /// ignoring case, `1`, `true`, `yes`, `y`, `churn`, `churned`, `exited`, `left` or `attrited`.
    /// Neither or both values qualifying is an error asking for `"positive"` in the schema file.
    ///
    /// **Other columns**, unless `overrides.columns` names them, in this order:
    /// 1. all values missing, or a single distinct value → `id` (carries no information, dropped);
    /// 2. exactly two distinct non-missing values (numbers or text) → `binary`;
    /// 3. numeric: whole numbers that are all distinct → `id`; otherwise → `numeric`;
    /// 4. text: all values distinct, or more than 100 distinct values, or more than 50 distinct values
    ///    making up more than 5% of the non-missing values → `id` (too many levels for a one-hot
    ///    encoding to learn from; override with `categorical` to keep such a column);
    ///    otherwise → `categorical`.
    ///
    /// **Overrides** win, but are checked: every named column must exist, `numeric` needs a numeric
    /// column, `binary` at most two distinct values, and only the target may have role `target`.
    /// Any problem is a ``DataError`` naming the column (and the schema file or data line).
    public static func infer(_ table: Table, target: String?, overrides: SchemaOverrides?) throws -> Schema {
        let targetName = try resolveTarget(table, requested: target, overrides: overrides)
        guard let targetIndex = table.columnIndex(named: targetName) else {
            throw DataError(
                "is not a column of the table; columns: \(table.columnNames.joined(separator: ", "))",
                source: table.source, column: targetName)
        }
        let roleOverrides = overrides?.columns ?? [:]
        let overrideSource = overrides?.source ?? "the schema overrides"
        for name in roleOverrides.keys.sorted() where table.columnIndex(named: name) == nil {
            throw DataError(
                "is named in \(overrideSource) but is not a column of \(table.source); columns: "
                    + table.columnNames.joined(separator: ", "),
                source: overrides?.source, column: name)
        }
        if let role = roleOverrides[targetName], role != .target {
            throw DataError(
                "is the target, but \(overrideSource) gives it role \"\(role.rawValue)\"", source: overrides?.source,
                column: targetName)
        }
        let positive = try positiveLabel(table, targetIndex: targetIndex, overrides: overrides)

        var columns: [ColumnSchema] = []
        columns.reserveCapacity(table.columnNames.count)
        for (index, name) in table.columnNames.enumerated() {
            if index == targetIndex {
                columns.append(ColumnSchema(name: name, role: .target))
            } else if let role = roleOverrides[name] {
                try check(role, table: table, column: index, overrideSource: overrideSource, overrides: overrides)
                columns.append(ColumnSchema(name: name, role: role))
            } else {
                columns.append(ColumnSchema(name: name, role: ColumnProfile(table.columns[index]).inferredRole))
            }
        }
        return Schema(columns: columns, target: targetName, positiveLabel: positive)
    }

    /// The 0/1 labels of the target column (1 = `schema.positiveLabel`, compared as a number for a
    /// numeric column, else exactly or ignoring case). Throws ``DataError`` naming the line, column
    /// and value for a missing target or a second non-positive value (a third distinct value).
    public static func labels(of table: Table, schema: Schema) throws -> [Float] {
        guard let index = table.columnIndex(named: schema.target) else {
            throw DataError(
                "the target column is missing; columns: \(table.columnNames.joined(separator: ", "))",
                source: table.source, column: schema.target)
        }
        let label = schema.positiveLabel
        var labels = [Float](repeating: 0, count: table.rowCount)
        var negative: String?
        func record(_ row: Int, isPositive: Bool, display: () -> String) throws {
            if isPositive {
                labels[row] = 1
                return
            }
            let value = display()
            if negative == nil {
                negative = value
            } else if let negative, value != negative {
                throw DataError(
                    "is a third target value; the target must have exactly two values (\"\(label)\" and \"\(negative)\")",
                    source: table.source, line: table.lineNumbers[row], column: schema.target, value: value)
            }
        }
        func missing(_ row: Int) -> DataError {
            DataError(
                "the target value is missing; every row needs a target value", source: table.source,
                line: table.lineNumbers[row], column: schema.target)
        }
        switch table.columns[index] {
        case .numeric(let values):
            var positive: Double?
            if case .number(let number) = FieldParser.classify(label) { positive = number }
            for (row, value) in values.enumerated() {
                guard let value else { throw missing(row) }
                try record(row, isPositive: value == positive) { ColumnData.format(value) }
            }
        case .text(let values):
            let lowered = label.lowercased()
            for (row, value) in values.enumerated() {
                guard let value else { throw missing(row) }
                let isPositive = value == label || (value.utf8.count == label.utf8.count && value.lowercased() == lowered)
                try record(row, isPositive: isPositive) { value }
            }
        }
        return labels
    }

    /// Whether the target value `value` (as displayed) is `label`.
    static func matches(_ value: String, label: String, numeric: Bool) -> Bool {
        if value == label { return true }
        if numeric {
            if case .number(let number) = FieldParser.classify(label), case .number(let other) = FieldParser.classify(value) {
                return number == other
            }
            return false
        }
        return value.lowercased() == label.lowercased()
    }

    /// Checks that an overriding `role` fits column `column`.
    private static func check(
        _ role: ColumnRole, table: Table, column: Int, overrideSource: String, overrides: SchemaOverrides?
    ) throws {
        let name = table.columnNames[column]
        switch role {
        case .target:
            throw DataError(
                "has role \"target\" in \(overrideSource), but the target is another column; there must be exactly one target",
                source: overrides?.source, column: name)
        case .numeric:
            guard case .text(let values) = table.columns[column] else { return }
            // The column is text because at least one value is not a number: name the first such value.
            let row = values.firstIndex { value in value.map { FieldParser.classify($0) == .text } ?? false }
                ?? values.firstIndex { $0 != nil } ?? 0
            throw DataError(
                "is not a number, but \(overrideSource) gives the column role \"numeric\"", source: table.source,
                line: table.lineNumbers.isEmpty ? nil : table.lineNumbers[row], column: name,
                value: table.displayValue(row: row, column: column))
        case .binary:
            let profile = ColumnProfile(table.columns[column])
            if !profile.complete || profile.distinct > 2 {
                throw DataError(
                    "has more than two distinct values, but \(overrideSource) gives it role \"binary\"",
                    source: overrides?.source, column: name)
            }
        case .id, .categorical:
            return
        }
    }
}
