/// The role of each non-target column: overrides checked, stray text refused or read as missing.
extension SchemaInference {
    /// Decides the role of column `index`, appending its ``ColumnSchema`` (and note or warning) to
    /// `prepared` and replacing the column in `prepared.table` when it is read as numbers.
    static func prepareColumn(
        _ index: Int, of table: Table, overrides: SchemaOverrides?, into prepared: inout InferredTable
    ) throws {
        let name = table.columnNames[index]
        let data = table.columns[index]
        let policy = overrides?.invalid?[name]
        let decimalComma = table.allowsDecimalComma
        if let role = overrides?.columns?[name] {
            try check(role, table: table, column: index, overrides: overrides)
            if role == .id {
                prepared.schema.notes.append(
                    ColumnNote(
                        column: name, role: .id,
                        reason: "role set in \(overrides?.sourceName ?? "the schema overrides")"))
            }
            if role == .numeric, case .text(let values) = data {
                let scan = TextNumberScan(values, decimalComma: decimalComma)
                if !scan.isAllNumbers {
                    guard policy == .missing else {
                        throw overrideError(name, scan: scan, table: table, overrides: overrides)
                    }
                    prepared.warnings.append(readAsMissing(name, scan: scan, table: table, overrides: overrides))
                }
                prepared.table.columns[index] = .numeric(scan.numbers)
            }
            prepared.schema.columns.append(
                ColumnSchema(name: name, role: role, invalid: role == .numeric ? policy : nil))
            return
        }
        let assessment = ColumnAssessment.assess(
            name: name, data: data, lines: table.lineNumbers, decimalComma: decimalComma)
        if let scan = assessment.scan, assessment.role == .numeric || scan.isAllNumbers {
            if assessment.hasStrays {
                guard policy == .missing else { throw strayError(name, scan: scan, table: table) }
                prepared.warnings.append(readAsMissing(name, scan: scan, table: table, overrides: overrides))
            }
            prepared.table.columns[index] = .numeric(scan.numbers)
        }
        if let note = assessment.note(column: name) { prepared.schema.notes.append(note) }
        prepared.schema.columns.append(
            ColumnSchema(name: name, role: assessment.role, invalid: assessment.role == .numeric ? policy : nil))
    }

    /// The error for a column of numbers with a few stray texts that nobody declared.
    static func strayError(_ name: String, scan: TextNumberScan, table: Table) -> DataError {
        let first = scan.examples.first
        let others = scan.nonMissing - 1
        var reason = "is not a number; "
        if scan.nonNumberCount == 1 {
            reason += "the column's other \(GroupedNumber.text(others)) values are numbers"
        } else {
            let more = scan.nonNumberCount - 1
            reason +=
                "\(GroupedNumber.text(scan.numberCount)) of the column's other \(GroupedNumber.text(others)) values are numbers "
                + "(\(GroupedNumber.text(more)) more \(more == 1 ? "non-number" : "non-numbers"): \(scan.listed(from: 1, lines: table.lineNumbers))"
                + "\(scan.nonNumberCount > scan.examples.count ? ", ..." : ""))"
        }
        reason +=
            ". Fix the file, or declare the column in --schema, e.g. "
            + "{\"columns\": {\"\(name)\": {\"role\": \"numeric\", \"invalid\": \"missing\"}}}, "
            + "to read non-numbers as missing (imputed with the training median)"
        return DataError(
            reason, source: table.source, line: first.map { TextNumberScan.line($0.row, table.lineNumbers) },
            column: name,
            value: first?.value)
    }

    /// The error for a column the schema file declares numeric whose values are not all numbers.
    static func overrideError(_ name: String, scan: TextNumberScan, table: Table, overrides: SchemaOverrides?)
        -> DataError
    {
        let first = scan.examples.first
        let count = scan.nonNumberCount
        return DataError(
            "is not a number, but \(overrides?.sourceName ?? "the schema overrides") gives the column role \"numeric\" "
                + "(\(GroupedNumber.text(count)) of its \(GroupedNumber.text(scan.nonMissing)) values \(count == 1 ? "is not a number" : "are not numbers")); "
                + "fix the file, or add \"invalid\": \"missing\" to read non-numbers as missing, e.g. "
                + "{\"columns\": {\"\(name)\": {\"role\": \"numeric\", \"invalid\": \"missing\"}}}",
            source: table.source, line: first.map { TextNumberScan.line($0.row, table.lineNumbers) }, column: name,
            value: first?.value)
    }

    /// The warning for stray texts read as missing.
    static func readAsMissing(_ name: String, scan: TextNumberScan, table: Table, overrides: SchemaOverrides?) -> String
    {
        let count = scan.nonNumberCount
        let more = count > scan.examples.count ? ", ..." : ""
        return
            "\(name): \(GroupedNumber.text(count)) \(count == 1 ? "value is not a number" : "values are not numbers") "
            + "(\(scan.listed(lines: table.lineNumbers))\(more)); read as missing and imputed with the training median "
            + "(\"invalid\": \"missing\" in \(overrides?.sourceName ?? "the schema overrides"))"
    }

    /// Checks that an overriding `role` fits column `column` (text in a numeric column is checked by the caller).
    private static func check(_ role: ColumnRole, table: Table, column: Int, overrides: SchemaOverrides?) throws {
        let name = table.columnNames[column]
        let overrideSource = overrides?.sourceName ?? "the schema overrides"
        switch role {
        case .target:
            throw DataError(
                "has role \"target\" in \(overrideSource), but the target is another column; there must be exactly one target",
                source: overrides?.source, column: name)
        case .binary:
            let profile = ColumnProfile(table.columns[column])
            if !profile.complete || profile.distinct > 2 {
                throw DataError(
                    "has more than two distinct values, but \(overrideSource) gives it role \"binary\"",
                    source: overrides?.source, column: name)
            }
        case .id, .categorical, .numeric:
            return
        }
    }
}
