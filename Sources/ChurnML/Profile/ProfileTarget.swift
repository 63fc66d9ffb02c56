/// The target of a profiled table, found the way training finds it, or why it could not be.
struct ProfileTarget {
    /// The target column and its balance, when found.
    var balance: DataProfile.TargetBalance?
    /// 1 for the positive value, 0 for the other, per row, when found.
    var labels: [Float]?
    /// Why no target could be used.
    var error: String?

    /// Finds the target of `table` (`requested`, else the overrides, else by name).
    init(_ table: Table, requested: String?, overrides: SchemaOverrides?) {
        do {
            let name = try SchemaInference.resolveTarget(table, requested: requested, overrides: overrides)
            guard let index = table.columnIndex(named: name) else {
                throw DataError(
                    "is not a column of the table; columns: \(table.columnNames.joined(separator: ", "))",
                    source: table.source, column: name)
            }
            let positive = try SchemaInference.positiveLabel(table, targetIndex: index, overrides: overrides)
            let labels = try SchemaInference.labels(
                of: table, schema: Schema(columns: [], target: name, positiveLabel: positive))
            let positives = labels.reduce(0) { $0 + ($1 >= 0.5 ? 1 : 0) }
            let negativeRow = labels.firstIndex { $0 < 0.5 }
            balance = DataProfile.TargetBalance(
                column: name, positive: positive,
                negative: negativeRow.map { table.displayValue(row: $0, column: index) } ?? "",
                positives: positives, negatives: labels.count - positives,
                positiveRate: labels.isEmpty ? 0 : Double(positives) / Double(labels.count))
            self.labels = labels
        } catch {
            self.error = "\(error)"
        }
    }
}
