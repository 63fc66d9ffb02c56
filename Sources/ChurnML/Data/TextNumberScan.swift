/// How many values of a text column are numbers and which are not: what tells a numeric column with a
/// few stray texts (`six-hundred` in `CreditScore`) from a real text column.
///
/// **A few stray texts.** A text column is *numeric with stray text* when its non-number
/// non-missing values number `k` with `1 <= k <= max(20, floor(nonMissing / 100))` and
/// `k * 10 <= nonMissing` (at most 10% of the values). So 10,000 values allow 100 strays (101 make
/// a text column), 100 values allow 10 (11 make a text column), 40 values allow 4.
struct TextNumberScan: Sendable {
    /// How many stray values ``examples`` keeps.
    static let exampleLimit = 5

    /// Non-missing values.
    private(set) var nonMissing = 0
    /// Values that are numbers (with a decimal comma when the file uses one).
    private(set) var numberCount = 0
    /// Non-missing values that are not numbers.
    private(set) var nonNumberCount = 0
    /// The first non-numbers (at most ``exampleLimit``), with their row indexes.
    private(set) var examples: [(row: Int, value: String)] = []
    /// The column as numbers: non-numbers and missing values are `nil`.
    private(set) var numbers: [Double?] = []

    /// Scans `values`; with `decimalComma`, `1234,56` counts as a number (see ``FieldParser``).
    init(_ values: [String?], decimalComma: Bool) {
        numbers.reserveCapacity(values.count)
        for (row, value) in values.enumerated() {
            guard let value else {
                numbers.append(nil)
                continue
            }
            switch FieldParser.classify(value, decimalComma: decimalComma) {
            case .missing:
                numbers.append(nil)
            case .number(let number):
                nonMissing += 1
                numberCount += 1
                numbers.append(number)
            case .text:
                nonMissing += 1
                nonNumberCount += 1
                numbers.append(nil)
                if examples.count < Self.exampleLimit { examples.append((row, value)) }
            }
        }
    }

    /// Whether `k` non-numbers among `nonMissing` values are "a few" (see the type's documentation).
    static func isFew(_ k: Int, of nonMissing: Int) -> Bool {
        k >= 1 && k <= max(20, nonMissing / 100) && k * 10 <= nonMissing
    }

    /// Whether the column is numeric with a few stray texts.
    var hasFewStrays: Bool { Self.isFew(nonNumberCount, of: nonMissing) }

    /// Whether every non-missing value is a number (possible for a decimal-comma file, whose reader
    /// may leave `1234,56` as text).
    var isAllNumbers: Bool { nonNumberCount == 0 && numberCount > 0 }

    /// Whether at least half the non-missing values are numbers, with more non-numbers than a few.
    var isMostlyNumbers: Bool {
        numberCount > 0 && numberCount >= nonNumberCount && !hasFewStrays && nonNumberCount > 0
    }

    /// `line 7 "six-hundred", line 9 "x"`: the examples from `start` on, with their source lines.
    func listed(from start: Int = 0, lines: [Int]) -> String {
        examples.dropFirst(start).map { "line \(Self.line($0.row, lines)) \"\(DataError.abbreviated($0.value))\"" }
            .joined(separator: ", ")
    }

    /// The source line of `row`.
    static func line(_ row: Int, _ lines: [Int]) -> Int {
        row < lines.count ? lines[row] : row + 1
    }
}
