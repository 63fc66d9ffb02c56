extension FeatureEncoder {
    /// Fits the encoder of one column on training values.
    ///
    /// A numeric role on a text column reads its numbers (with the decimal comma of `table`'s dialect);
    /// a value that is not a number is then read as missing under `invalid` ``InvalidValuePolicy/missing``,
    /// else refused with a `DataError` naming its line, the column and the value. A column with no
    /// non-missing value to learn from is also a `DataError`.
    static func fit(column name: String, role: ColumnRole, invalid: InvalidValuePolicy? = nil, table: Table) throws
        -> FeatureEncoder
    {
        guard let data = table.column(named: name) else {
            throw DataError("is missing from the data", source: table.source, column: name)
        }
        let source = table.source
        switch (role, data) {
        case (.numeric, .numeric(let values)):
            return try numeric(name, values: values, invalid: invalid, source: source)
        case (.numeric, .text(let texts)):
            let scan = TextNumberScan(texts, decimalComma: table.allowsDecimalComma)
            if invalid != .missing, let first = scan.examples.first {
                throw DataError(
                    "is not a number, in a column declared numeric (\(GroupedNumber.text(scan.nonNumberCount)) of its "
                        + "\(GroupedNumber.text(scan.nonMissing)) values are not numbers)",
                    source: source, line: TextNumberScan.line(first.row, table.lineNumbers), column: name,
                    value: first.value)
            }
            return try numeric(name, values: scan.numbers, invalid: invalid, source: source)
        case (.binary, _), (.categorical, _):
            let counted = countLevels(data)
            guard !counted.isEmpty else {
                throw DataError("has no values in the training rows", source: source, column: name)
            }
            if role == .binary, counted.count > 2 {
                throw DataError(
                    "is declared binary but has \(counted.count) distinct values (\(counted.prefix(5).map(\.level).joined(separator: ", ")))",
                    source: source, column: name)
            }
            // The most frequent level; ties go to the first in sort order.
            let mostFrequent = counted.max { a, b in a.count < b.count || (a.count == b.count && a.order > b.order) }
            return FeatureEncoder(
                column: name, role: role, levels: counted.map(\.level), numericSource: data.isNumeric,
                fill: mostFrequent?.level, numericFill: nil, minimum: nil, maximum: nil,
                levelCounts: counted.map(\.count))
        default:
            throw DataError("has role \(role.rawValue), which is not a feature role", source: source, column: name)
        }
    }

    /// The encoder of a numeric column with `values` (missing as `nil`).
    private static func numeric(_ name: String, values: [Double?], invalid: InvalidValuePolicy?, source: String) throws
        -> FeatureEncoder
    {
        let present = values.compactMap { $0 }.sorted()
        guard let first = present.first, let last = present.last else {
            throw DataError("has no values in the training rows", source: source, column: name)
        }
        return FeatureEncoder(
            column: name, role: .numeric, levels: [], numericSource: true, fill: nil,
            numericFill: median(ofSorted: present), minimum: first, maximum: last, levelCounts: nil, invalid: invalid)
    }

    /// The median of sorted values (mean of the middle two for an even count).
    static func median(ofSorted values: [Double]) -> Double {
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    /// Distinct non-missing levels in sort order (numerically for numbers), with their counts.
    private static func countLevels(_ data: ColumnData) -> [(level: String, count: Int, order: Int)] {
        switch data {
        case .numeric(let values):
            var counts: [Double: Int] = [:]
            for case let value? in values { counts[value, default: 0] += 1 }
            return counts.keys.sorted().enumerated().map { (ColumnData.format($1), counts[$1] ?? 0, $0) }
        case .text(let values):
            var counts: [String: Int] = [:]
            for case let value? in values { counts[value, default: 0] += 1 }
            return counts.keys.sorted().enumerated().map { ($1, counts[$1] ?? 0, $0) }
        }
    }
}
