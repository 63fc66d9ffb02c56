/// The facts about one column that schema inference needs: how many distinct values, whether all
/// are distinct, whether they are whole numbers. Work stops as soon as the role is settled
/// (``ColumnAssessment`` turns the facts into a role).
struct ColumnProfile {
    /// Whether the column is numeric.
    var isNumeric: Bool
    /// Number of non-missing values.
    var nonMissing = 0
    /// Number of distinct non-missing values; exact when `complete`, else a lower bound (>= 3).
    var distinct = 0
    /// Whether every non-missing value occurs once (meaningful when `complete`).
    var allDistinct = true
    /// Whether every non-missing value is a whole number (numeric columns).
    var integerValued = true
    /// Whether every value was examined.
    var complete = true

    /// Profiles `column`.
    init(_ column: ColumnData) {
        switch column {
        case .numeric(let values):
            isNumeric = true
            profileNumbers(values)
        case .text(let values):
            isNumeric = false
            integerValued = false
            profileTexts(values)
        }
    }

    /// Numbers: one cheap pass for the first three distinct values, wholeness and order; a hash set
    /// only for whole numbers with three or more values that are not strictly monotone.
    private mutating func profileNumbers(_ values: [Double?]) {
        var first: Double?
        var second: Double?
        var hasThird = false
        var previous: Double?
        var increasing = true
        var decreasing = true
        for case let value? in values {
            nonMissing += 1
            if value != value.rounded(.towardZero) { integerValued = false }
            if let previous {
                if value <= previous { increasing = false }
                if value >= previous { decreasing = false }
            }
            previous = value
            if first == nil {
                first = value
            } else if value != first {
                if second == nil {
                    second = value
                } else if value != second {
                    hasThird = true
                }
            }
        }
        if !hasThird {
            distinct = second != nil ? 2 : (first != nil ? 1 : 0)
            allDistinct = nonMissing == distinct
            return
        }
        if !integerValued {
            // Only "three or more distinct values" matters: the column can only be numeric.
            distinct = 3
            allDistinct = false
            complete = false
            return
        }
        if increasing || decreasing {
            distinct = nonMissing
            allDistinct = true
            return
        }
        var seen = Set<Double>(minimumCapacity: nonMissing)
        for case let value? in values where !seen.insert(value).inserted {
            // A repeat settles it: whole numbers with repeats are a numeric feature.
            allDistinct = false
            complete = false
            distinct = max(seen.count, 3)
            return
        }
        distinct = seen.count
        allDistinct = true
    }

    /// Text: exact distinct count; the first few distinct values are compared directly, a hash set
    /// is only built once there are more than eight.
    private mutating func profileTexts(_ values: [String?]) {
        var few: [String] = []
        var seen: Set<String>?
        for case let value? in values {
            nonMissing += 1
            if seen == nil {
                if few.contains(value) {
                    allDistinct = false
                    continue
                }
                few.append(value)
                if few.count > 8 { seen = Set(few) }
            } else if seen?.insert(value).inserted == false {
                allDistinct = false
            }
        }
        distinct = seen?.count ?? few.count
    }
}
