/// Finding the target column and its positive label.
extension SchemaInference {
    /// The target's name: requested, from the overrides, or found by name (see ``infer(_:target:overrides:)``).
    static func resolveTarget(_ table: Table, requested: String?, overrides: SchemaOverrides?) throws -> String {
        if let requested { return requested }
        if let named = overrides?.target { return named }
        let marked = (overrides?.columns ?? [:]).filter { $0.value == .target }.keys.sorted()
        if marked.count > 1 {
            throw DataError(
                "gives role \"target\" to several columns (\(marked.joined(separator: ", "))); there must be exactly one",
                source: overrides?.source ?? "the schema overrides")
        }
        if let only = marked.first { return only }

        let exact = table.columnNames.filter { targetNames.contains($0.lowercased()) }
        let candidates = exact.isEmpty ? table.columnNames.filter { $0.lowercased().contains("churn") } : exact
        if candidates.count == 1, let only = candidates.first { return only }
        let columns = table.columnNames.joined(separator: ", ")
        if candidates.isEmpty {
            throw DataError(
                "has no column that looks like the churn target; pass --target NAME (or \"target\" in the schema file). Columns: \(columns)",
                source: table.source)
        }
        throw DataError(
            "has several columns that could be the target (\(candidates.joined(separator: ", "))); pass --target NAME to choose",
            source: table.source)
    }

    /// The positive label, after checking that the target has no missing value and exactly two values.
    static func positiveLabel(_ table: Table, targetIndex: Int, overrides: SchemaOverrides?) throws -> String {
        let column = table.columns[targetIndex]
        let name = table.columnNames[targetIndex]
        var values: [String] = []
        for row in 0..<table.rowCount {
            if column.isMissing(at: row) {
                throw DataError(
                    "the target value is missing; every row needs a target value", source: table.source,
                    line: table.lineNumbers[row], column: name)
            }
            let value = column.displayValue(at: row)
            if values.contains(value) { continue }
            if values.count == 2 {
                throw DataError(
                    "is a third target value; the target must have exactly two values (found \"\(values[0])\" and \"\(values[1])\" before)",
                    source: table.source, line: table.lineNumbers[row], column: name, value: value)
            }
            values.append(value)
        }
        guard values.count == 2 else {
            throw DataError(
                "has only one value (\"\(values.first ?? "")\"); the target must have exactly two values",
                source: table.source, column: name)
        }
        if let wanted = overrides?.positive {
            if let exact = values.first(where: { $0 == wanted }) { return exact }
            if let match = values.first(where: { matches($0, label: wanted, numeric: column.isNumeric) }) {
                return match
            }
            throw DataError(
                "is not a value of the target \"\(name)\" (its values are \"\(values[0])\" and \"\(values[1])\")",
                source: overrides?.source ?? "the schema overrides", value: wanted)
        }
        let positives = values.filter { positiveValues.contains($0.lowercased()) }
        if positives.count == 1, let positive = positives.first { return positive }
        throw DataError(
            "has values \"\(values[0])\" and \"\(values[1])\"; cannot tell which means churned. Add "
                + "\"positive\": \"VALUE\" to the schema file (--schema)",
            source: table.source, column: name)
    }
}
