/// How schema inference reads one column when nobody overrides it: its role, the reason in words, and
/// whether that reading deserves a ``ColumnNote`` (the column is dropped, or read differently from what
/// its values suggest). Schema inference and `churn profile` both use it, so the two always agree.
///
/// Rules, in order:
/// 1. text whose values are all numbers (a decimal-comma file) is read as numbers;
/// 2. text with a few stray non-numbers (see ``TextNumberScan``) → `numeric`, with the strays as
///    ``strays`` (an error for training unless the schema file says `"invalid": "missing"`);
/// 3. all values missing, or a single distinct value → `id` (carries no information);
/// 4. exactly two distinct non-missing values → `binary` (noted when they are numbers other than 0 and 1);
/// 5. numbers: whole numbers all distinct → `id`; whole numbers at least 99% distinct in a column named
///    like an id (`id`, `*_id`, `*-id`, `*Id`, `*ID`, `customer*`) → `id`; otherwise `numeric`;
/// 6. text: all distinct, more than 100 distinct values, or more than 50 that are over 5% of the
///    values → `id` (too many levels for a one-hot encoding); otherwise `categorical`. A text column
///    at least half of whose values are numbers is noted with how many are not.
struct ColumnAssessment: Sendable {
    /// A text column with more distinct values than this is treated as an identifier.
    static let maximumCategories = 100
    /// A text column with more distinct values than this, which also make up more than
    /// ``highCardinalityFraction`` of its values, is treated as an identifier.
    static let highCardinalityCount = 50
    /// See ``highCardinalityCount``.
    static let highCardinalityFraction = 0.05
    /// The share of distinct values from which a whole-number column named like an id is an id.
    static let idDistinctShare = 0.99

    /// Which rule decided the role.
    enum Rule: Sendable, Equatable {
        /// Every value is missing.
        case allMissing
        /// One distinct value.
        case constant
        /// Two distinct values.
        case twoValues
        /// Whole numbers, all distinct.
        case distinctWholeNumbers
        /// Whole numbers at least 99% distinct, in a column named like an id.
        case namedID
        /// Numbers with a few stray texts.
        case strayText
        /// Other numbers.
        case numbers
        /// Text with too many levels (all distinct, or too many to one-hot encode).
        case manyLevels
        /// Text with few enough levels.
        case categories
    }

    /// The role the column gets.
    var role: ColumnRole
    /// The rule that decided it.
    var rule: Rule
    /// Why, in words: `2,933 distinct texts in 10,000 rows (more than 100 levels)`.
    var reason: String
    /// Whether the column is dropped or reinterpreted, so that inference prints a note about it.
    var isNoteworthy: Bool
    /// For a text column: how many of its values are numbers, and which are not.
    var scan: TextNumberScan?

    /// Whether the column's values are numbers with a few stray texts.
    var hasStrays: Bool { scan?.hasFewStrays ?? false }

    /// The note to print, when the reading deserves one.
    func note(column: String) -> ColumnNote? {
        isNoteworthy ? ColumnNote(column: column, role: role, reason: reason) : nil
    }

    /// Assesses the column `name` holding `data`; `lines` are the rows' source lines.
    static func assess(name: String, data: ColumnData, lines: [Int], decimalComma: Bool) -> ColumnAssessment {
        switch data {
        case .numeric(let values):
            return numbers(name: name, values: values)
        case .text(let values):
            let scan = TextNumberScan(values, decimalComma: decimalComma)
            if scan.isAllNumbers {
                var assessment = numbers(name: name, values: scan.numbers)
                assessment.scan = scan
                return assessment
            }
            if scan.hasFewStrays {
                let strays = scan.nonNumberCount
                let reason =
                    "\(GroupedNumber.text(scan.numberCount)) numbers and \(GroupedNumber.text(strays)) "
                    + (strays == 1 ? "value that is not a number" : "values that are not numbers")
                    + " (\(scan.listed(lines: lines))\(strays > scan.examples.count ? ", ..." : ""))"
                return ColumnAssessment(
                    role: .numeric, rule: .strayText, reason: reason, isNoteworthy: false, scan: scan)
            }
            var assessment = texts(values)
            assessment.scan = scan
            if scan.isMostlyNumbers, let first = scan.examples.first {
                let prefix =
                    "\(GroupedNumber.text(scan.nonNumberCount)) of \(GroupedNumber.text(scan.nonMissing)) values "
                    + "are not numbers (first: line \(TextNumberScan.line(first.row, lines)) \"\(DataError.abbreviated(first.value))\")"
                assessment.reason = assessment.isNoteworthy ? prefix + "; " + assessment.reason : prefix
                assessment.isNoteworthy = true
            }
            return assessment
        }
    }

    /// Rules 3–5 for a column of numbers.
    private static func numbers(name: String, values: [Double?]) -> ColumnAssessment {
        let profile = ColumnProfile(.numeric(values))
        let rows = values.count
        if let constant = constant(
            profile, rows: rows, first: { values.lazy.compactMap { $0 }.first.map(ColumnData.format) })
        {
            return constant
        }
        if profile.complete, profile.distinct == 2 {
            let pair = Array(Set(values.compactMap { $0 })).sorted()
            let text = pair.map(ColumnData.format).joined(separator: " and ")
            let isZeroOne = pair == [0, 1]
            return ColumnAssessment(
                role: .binary, rule: .twoValues,
                reason: "two values (\(text))\(isZeroOne ? "" : ", read as two categories")",
                isNoteworthy: !isZeroOne)
        }
        if profile.integerValued, profile.complete, profile.allDistinct {
            return ColumnAssessment(
                role: .id, rule: .distinctWholeNumbers,
                reason:
                    "\(GroupedNumber.text(profile.distinct)) distinct whole numbers in \(rowsText(rows, nonMissing: profile.nonMissing))",
                isNoteworthy: true)
        }
        if profile.integerValued, looksLikeID(name) {
            let distinct = Set(values.compactMap { $0 }).count
            if Double(distinct) >= idDistinctShare * Double(profile.nonMissing) {
                let repeats = profile.nonMissing - distinct
                return ColumnAssessment(
                    role: .id, rule: .namedID,
                    reason:
                        "\(GroupedNumber.text(distinct)) distinct whole numbers in \(rowsText(rows, nonMissing: profile.nonMissing)) "
                        + "(\(GroupedNumber.text(repeats)) \(repeats == 1 ? "repeats an earlier value" : "repeat earlier values")), named like an id",
                    isNoteworthy: true)
            }
        }
        return ColumnAssessment(
            role: .numeric, rule: .numbers, reason: profile.integerValued ? "whole numbers, some repeated" : "numbers",
            isNoteworthy: false)
    }

    /// Rules 3, 4 and 6 for a column of text.
    private static func texts(_ values: [String?]) -> ColumnAssessment {
        let profile = ColumnProfile(.text(values))
        let rows = values.count
        if let constant = constant(profile, rows: rows, first: { values.lazy.compactMap { $0 }.first }) {
            return constant
        }
        if profile.distinct == 2 {
            var pair: [String] = []
            for case let value? in values where !pair.contains(value) {
                pair.append(value)
                if pair.count == 2 { break }
            }
            return ColumnAssessment(
                role: .binary, rule: .twoValues,
                reason:
                    "two values (\(pair.sorted().map { "\"\(DataError.abbreviated($0))\"" }.joined(separator: " and ")))",
                isNoteworthy: false)
        }
        let counted =
            "\(GroupedNumber.text(profile.distinct)) distinct texts in \(rowsText(rows, nonMissing: profile.nonMissing))"
        if profile.allDistinct {
            return ColumnAssessment(
                role: .id, rule: .manyLevels, reason: counted + " (all different)", isNoteworthy: true)
        }
        if profile.distinct > maximumCategories {
            return ColumnAssessment(
                role: .id, rule: .manyLevels, reason: counted + " (more than \(maximumCategories) levels)",
                isNoteworthy: true)
        }
        if profile.distinct > highCardinalityCount,
            Double(profile.distinct) > highCardinalityFraction * Double(profile.nonMissing)
        {
            return ColumnAssessment(
                role: .id, rule: .manyLevels,
                reason: counted
                    + " (more than \(highCardinalityCount) levels, over \(Int(highCardinalityFraction * 100))% of the values)",
                isNoteworthy: true)
        }
        return ColumnAssessment(
            role: .categorical, rule: .categories, reason: "\(profile.distinct) distinct texts", isNoteworthy: false)
    }

    /// Rule 3: all missing, or one value.
    private static func constant(_ profile: ColumnProfile, rows: Int, first: () -> String?) -> ColumnAssessment? {
        if profile.nonMissing == 0 {
            return ColumnAssessment(
                role: .id, rule: .allMissing,
                reason: rows == 1 ? "the only value is missing" : "all \(GroupedNumber.text(rows)) values are missing",
                isNoteworthy: true)
        }
        guard profile.distinct == 1 else { return nil }
        let value = "\"\(DataError.abbreviated(first() ?? ""))\""
        let missing = rows - profile.nonMissing
        let reason =
            missing == 0
            ? "one value (\(value)) in all \(GroupedNumber.text(rows)) rows"
            : "one value (\(value)) in \(GroupedNumber.text(profile.nonMissing)) rows, the other \(GroupedNumber.text(missing)) missing"
        return ColumnAssessment(role: .id, rule: .constant, reason: reason, isNoteworthy: true)
    }

    /// `10,000 rows`, or `10,000 rows (12 missing)`.
    private static func rowsText(_ rows: Int, nonMissing: Int) -> String {
        "\(GroupedNumber.text(rows)) rows"
            + (rows > nonMissing ? " (\(GroupedNumber.text(rows - nonMissing)) missing)" : "")
    }

    /// Whether `name` looks like an identifier's: `id`, `*_id`, `*-id`, `* id` (any case), `*Id`,
    /// `*ID` after a lower-case letter or digit, or starting with `customer` (any case).
    static func looksLikeID(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower == "id" || lower.hasSuffix("_id") || lower.hasSuffix("-id") || lower.hasSuffix(" id") { return true }
        if lower.hasPrefix("customer") { return true }
        if name.hasSuffix("Id") { return name.count > 2 }
        if name.hasSuffix("ID"), let before = name.dropLast(2).last {
            return before.isLowercase || before.isNumber
        }
        return false
    }
}
