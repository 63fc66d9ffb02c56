/// Decides every column's role from the data, applying the user's overrides.
public enum SchemaInference {
    /// Column names (lower-cased) that mark a likely target.
    static let targetNames: Set<String> = [
        "exited", "churn", "churned", "attrition", "attrited", "is_churn", "has_churned", "left", "target", "label",
    ]
    /// Target values (lower-cased) that mean "churned".
    static let positiveValues: Set<String> = [
        "1", "true", "yes", "y", "churn", "churned", "exited", "left", "attrited",
    ]

    /// Infers the schema of `table` (see ``prepare(_:target:overrides:)``, whose schema this is).
    public static func infer(_ table: Table, target: String?, overrides: SchemaOverrides?) throws -> Schema {
        try prepare(table, target: target, overrides: overrides).schema
    }

    /// Infers the schema of `table`, reads the numeric columns the schema file allows to hold stray
    /// text as numbers, and says what it dropped or reinterpreted.
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
    /// **Other columns**, unless `overrides.columns` names them, get the role ``ColumnAssessment``
    /// gives (all missing or constant → `id`; two values → `binary`; whole numbers all distinct, or
    /// at least 99% distinct in a column named like an id → `id`; other numbers → `numeric`; text with
    /// too many levels → `id`, else `categorical`). Every column dropped or reinterpreted gets a
    /// ``ColumnNote`` in `schema.notes`, and so does every column the schema file sets to `id`.
    ///
    /// **Stray text.** A text column whose values are numbers except a few (at most
    /// `max(20, nonMissing / 100)` and at most 10%; see ``TextNumberScan``) is an error naming the
    /// file, line, column and value and how many more there are — unless the schema file declares the
    /// column `{"role": "numeric", "invalid": "missing"}`: then its non-numbers become missing values
    /// in the returned table (imputed with the training median later) and a warning gives the count.
    ///
    /// **Overrides** win, but are checked: every named column must exist, `numeric` needs a column of
    /// numbers (or `"invalid": "missing"`), `binary` at most two distinct values, and only the target may
    /// have role `target`. Any problem is a ``DataError`` naming the column (and the schema file or data line).
    public static func prepare(_ table: Table, target: String?, overrides: SchemaOverrides?) throws -> InferredTable {
        let targetName = try resolveTarget(table, requested: target, overrides: overrides)
        guard let targetIndex = table.columnIndex(named: targetName) else {
            throw DataError(
                "is not a column of the table; columns: \(table.columnNames.joined(separator: ", "))",
                source: table.source, column: targetName)
        }
        let roleOverrides = overrides?.columns ?? [:]
        let overrideSource = overrides?.sourceName ?? "the schema overrides"
        for name in (Array(roleOverrides.keys) + Array((overrides?.invalid ?? [:]).keys)).sorted()
        where table.columnIndex(named: name) == nil {
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

        var prepared = InferredTable(
            table: table, schema: Schema(columns: [], target: targetName, positiveLabel: positive), warnings: [])
        prepared.schema.columns.reserveCapacity(table.columnNames.count)
        for index in table.columnNames.indices {
            if index == targetIndex {
                prepared.schema.columns.append(ColumnSchema(name: targetName, role: .target))
            } else {
                try prepareColumn(index, of: table, overrides: overrides, into: &prepared)
            }
        }
        return prepared
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
                let isPositive =
                    value == label || (value.utf8.count == label.utf8.count && value.lowercased() == lowered)
                try record(row, isPositive: isPositive) { value }
            }
        }
        return labels
    }

    /// Whether the target value `value` (as displayed) is `label`.
    static func matches(_ value: String, label: String, numeric: Bool) -> Bool {
        if value == label { return true }
        if numeric {
            if case .number(let number) = FieldParser.classify(label),
                case .number(let other) = FieldParser.classify(value)
            {
                return number == other
            }
            return false
        }
        return value.lowercased() == label.lowercased()
    }
}
