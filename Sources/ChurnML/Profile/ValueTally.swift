/// How often each value of a column occurs, in the order values first appear, and on which rows the
/// repeated ones stand: one hashing pass over typed values (numbers are counted as numbers, never
/// formatted first), for a profile of a million rows.
struct ValueTally<Key: Hashable> {
    /// Rows whose value is missing.
    private(set) var missing = 0
    /// Non-missing rows.
    private(set) var nonMissing = 0
    /// Each distinct value's count.
    private(set) var counts: [Key: Int] = [:]
    /// Distinct values in the order they first appear.
    private(set) var order: [Key] = []
    /// Each value's first row.
    private var firstRows: [Key: Int] = [:]
    /// Values that repeat, in the order their first repeat appears.
    private(set) var repeated: [Key] = []
    /// The rows of each repeated value (only kept for the first `rowLimit` repeated values).
    private(set) var repeatedRows: [Key: [Int]] = [:]

    /// Tallies `values` (`nil` is missing); keeps rows for at most `rowLimit` repeated values.
    init(_ values: [Key?], rowLimit: Int = 0) {
        counts.reserveCapacity(min(values.count, 1 << 16))
        for (row, value) in values.enumerated() {
            guard let value else {
                missing += 1
                continue
            }
            nonMissing += 1
            let count = (counts[value] ?? 0) + 1
            counts[value] = count
            if count == 1 {
                order.append(value)
                if rowLimit > 0 { firstRows[value] = row }
                continue
            }
            if count == 2 { repeated.append(value) }
            guard rowLimit > 0, repeated.count <= rowLimit else { continue }
            if count == 2, let first = firstRows[value] { repeatedRows[value] = [first] }
            repeatedRows[value]?.append(row)
        }
    }

    /// Distinct non-missing values.
    var distinct: Int { counts.count }

    /// The `limit` most frequent values with their counts; ties keep the order of first appearance.
    func top(_ limit: Int) -> [(key: Key, count: Int)] {
        order.enumerated().map { (offset: $0.offset, key: $0.element, count: counts[$0.element] ?? 0) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.offset < $1.offset }
            .prefix(limit).map { ($0.key, $0.count) }
    }
}
