/// Builds the per-column parts of a ``DataProfile``: each column's report, its single-column AUC and
/// its duplicate ids. Roles and reasons come from ``ColumnAssessment`` (or the schema file), as in
/// schema inference.
struct ProfileColumnBuilder {
    /// How many type problems a column report lists.
    static let problemLimit = 5
    /// How many categories a column report lists.
    static let topLimit = 10
    /// How many repeated ids, and lines per id, a duplicate report lists.
    static let duplicateExampleLimit = 5

    /// The table being profiled.
    let table: Table
    /// The schema file's corrections, if any.
    let overrides: SchemaOverrides?
    /// The target column's name, when one was found.
    let targetName: String?
    /// Each column's reading: assessment (for columns without an override) and numbers (when the
    /// column's values are numbers, possibly with strays).
    private let readings: [Reading]

    /// One column's reading.
    private struct Reading {
        var role: ColumnRole
        var reason: String
        var assessment: ColumnAssessment?
        var numbers: [Double?]?
        var scan: TextNumberScan?
        var note: ColumnNote?
    }

    /// Reads every column of `table`.
    init(table: Table, overrides: SchemaOverrides?, targetName: String?) {
        self.table = table
        self.overrides = overrides
        self.targetName = targetName
        let decimalComma = table.allowsDecimalComma
        readings = table.columnNames.indices.map { index in
            let name = table.columnNames[index]
            let data = table.columns[index]
            if name == targetName {
                let numbers: [Double?]? = if case .numeric(let values) = data { values } else { nil }
                return Reading(role: .target, reason: "the target", numbers: numbers)
            }
            if let role = overrides?.columns?[name] {
                let source = overrides?.sourceName ?? "the schema overrides"
                var reading = Reading(
                    role: role, reason: "role set in \(source)",
                    note: role == .id ? ColumnNote(column: name, role: .id, reason: "role set in \(source)") : nil)
                switch data {
                case .numeric(let values):
                    reading.numbers = values
                case .text(let values):
                    let scan = TextNumberScan(values, decimalComma: decimalComma)
                    reading.scan = scan
                    if role == .numeric || scan.isAllNumbers { reading.numbers = scan.numbers }
                    if role == .numeric, scan.nonNumberCount > 0 {
                        let count = scan.nonNumberCount
                        reading.reason +=
                            "; \(GroupedNumber.text(scan.numberCount)) numbers and \(GroupedNumber.text(count)) "
                            + (count == 1 ? "value that is not a number" : "values that are not numbers")
                    }
                }
                return reading
            }
            let assessment = ColumnAssessment.assess(
                name: name, data: data, lines: table.lineNumbers, decimalComma: decimalComma)
            var reading = Reading(
                role: assessment.role, reason: assessment.reason, assessment: assessment, scan: assessment.scan,
                note: assessment.note(column: name))
            if case .numeric(let values) = data {
                reading.numbers = values
            } else if let scan = assessment.scan, scan.isAllNumbers || assessment.hasStrays {
                reading.numbers = scan.numbers
            }
            return reading
        }
    }

    /// The notes `churn train` would print, in table order.
    var notes: [ColumnNote] { readings.compactMap(\.note) }

    /// Whether the column called `name` was dropped for having one value or none.
    func isConstant(_ name: String) -> Bool {
        guard let index = table.columnIndex(named: name), let rule = readings[index].assessment?.rule else {
            return false
        }
        return rule == .constant || rule == .allMissing
    }

    /// The report of column `index`.
    func report(_ index: Int) -> DataProfile.ColumnReport {
        let reading = readings[index]
        let data = table.columns[index]
        let missing: Int
        let distinct: Int
        let top: [DataProfile.ValueCount]
        let listsTop = reading.numbers == nil || reading.role == .binary || reading.role == .target
        switch data {
        case .numeric(let values) where !listsTop:
            // Numbers without a top list: count distinct values by sorting, not hashing (a million rows).
            var present = values.compactMap { $0 }
            present.sort()
            missing = values.count - present.count
            distinct = zip(present, present.dropFirst()).reduce(present.isEmpty ? 0 : 1) { $0 + ($1.0 != $1.1 ? 1 : 0) }
            top = []
        case .numeric(let values):
            let tally = ValueTally(values)
            (missing, distinct) = (tally.missing, tally.distinct)
            top = tally.top(Self.topLimit).map {
                DataProfile.ValueCount(value: ColumnData.format($0.key), count: $0.count)
            }
        case .text(let values):
            let tally = ValueTally(values)
            missing = tally.missing
            // Numbers written differently (1 and 1.0) are one value.
            if let numbers = reading.numbers {
                distinct = Set(numbers.compactMap { $0 }).count + tally.order.filter { !isNumber($0) }.count
            } else {
                distinct = tally.distinct
            }
            top = tally.top(Self.topLimit).map { DataProfile.ValueCount(value: $0.key, count: $0.count) }
        }
        var report = DataProfile.ColumnReport(
            name: table.columnNames[index], type: reading.numbers == nil ? "text" : "numeric", role: reading.role,
            reason: reading.reason, dropped: reading.role == .id, missing: missing, distinct: distinct,
            minimum: nil, maximum: nil, mean: nil, top: [], problems: [], problemCount: 0)
        if let numbers = reading.numbers {
            var sum = 0.0
            var count = 0
            for case let value? in numbers {
                report.minimum = min(report.minimum ?? value, value)
                report.maximum = max(report.maximum ?? value, value)
                sum += value
                count += 1
            }
            report.mean = count > 0 ? sum / Double(count) : nil
            if let scan = reading.scan, scan.nonNumberCount > 0 {
                report.problemCount = scan.nonNumberCount
                report.problems = scan.examples.prefix(Self.problemLimit).map {
                    DataProfile.TypeProblem(
                        line: TextNumberScan.line($0.row, table.lineNumbers), value: $0.value,
                        message: "is not a number")
                }
            }
        }
        if listsTop { report.top = top }
        return report
    }

    /// Whether `text` reads as a number in this table.
    private func isNumber(_ text: String) -> Bool {
        if case .number = FieldParser.classify(text, decimalComma: table.allowsDecimalComma) { return true }
        return false
    }

    /// The ROC-AUC of column `index` alone as a score for `labels`: its numbers for a numeric role,
    /// else each value's positive rate.
    func singleColumnAUC(_ index: Int, role: ColumnRole, labels: [Float]) -> Double? {
        let reading = readings[index]
        if role == .numeric, let numbers = reading.numbers {
            return SingleColumnAUC.numbers(numbers, labels: labels)
        }
        switch table.columns[index] {
        case .numeric(let values): return SingleColumnAUC.categories(values, labels: labels)
        case .text(let values): return SingleColumnAUC.categories(values, labels: labels)
        }
    }

    /// The repeated ids of column `index`, when it is an id column (named like an id, or role `id`
    /// with at least 99% distinct values) whose values repeat.
    func duplicateIds(_ index: Int, role: ColumnRole) -> DataProfile.DuplicateIds? {
        let name = table.columnNames[index]
        guard name != targetName, ColumnAssessment.looksLikeID(name) || role == .id else { return nil }
        switch table.columns[index] {
        case .numeric(let values):
            // Most id columns have no repeats: a sort tells, before any hashing of a million rows.
            var present = values.compactMap { $0 }
            present.sort()
            guard zip(present, present.dropFirst()).contains(where: { $0 == $1 }) else { return nil }
            return duplicates(
                ValueTally(values, rowLimit: Self.duplicateExampleLimit), name: name, role: role,
                display: ColumnData.format)
        case .text(let values):
            return duplicates(ValueTally(values, rowLimit: Self.duplicateExampleLimit), name: name, role: role) { $0 }
        }
    }

    /// The duplicate-id report of a tallied id column, or `nil` when nothing repeats or the column is
    /// neither named like an id nor at least 99% distinct.
    private func duplicates<Key: Hashable>(
        _ tally: ValueTally<Key>, name: String, role: ColumnRole, display: (Key) -> String
    ) -> DataProfile.DuplicateIds? {
        guard tally.distinct < tally.nonMissing else { return nil }
        let nearlyUnique = Double(tally.distinct) >= ColumnAssessment.idDistinctShare * Double(tally.nonMissing)
        guard ColumnAssessment.looksLikeID(name) || nearlyUnique else { return nil }
        let examples = tally.repeated.prefix(Self.duplicateExampleLimit).map { value in
            DataProfile.DuplicateId(
                value: display(value),
                lines: (tally.repeatedRows[value] ?? []).prefix(Self.duplicateExampleLimit).map {
                    TextNumberScan.line($0, table.lineNumbers)
                })
        }
        return DataProfile.DuplicateIds(
            column: name, duplicateRows: tally.nonMissing - tally.distinct, examples: Array(examples))
    }
}
