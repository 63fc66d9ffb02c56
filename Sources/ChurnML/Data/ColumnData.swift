/// The values of one table column, typed once when the table is built.
///
/// A column is `numeric` when every non-missing field parses as a finite decimal number,
/// otherwise `text`. In both cases `nil` marks a missing value (an empty field, or one of
/// `NA`, `N/A`, `NaN`, `null`, `None` in any letter case).
public enum ColumnData: Sendable, Equatable {
    /// Numbers, `nil` where the value is missing.
    case numeric([Double?])
    /// Text values exactly as written (quotes removed, `""` unescaped), `nil` where missing.
    case text([String?])

    /// The number of values (rows) in the column.
    public var count: Int {
        switch self {
        case .numeric(let values): values.count
        case .text(let values): values.count
        }
    }

    /// Whether the column holds numbers.
    public var isNumeric: Bool {
        if case .numeric = self { return true }
        return false
    }

    /// Whether the value at `row` is missing. `row` must be in `0..<count`.
    public func isMissing(at row: Int) -> Bool {
        switch self {
        case .numeric(let values): values[row] == nil
        case .text(let values): values[row] == nil
        }
    }

    /// The value at `row` as text for messages and category keys: numbers through
    /// ``ColumnData/format(_:)``, missing values as the empty string. `row` must be in `0..<count`.
    public func displayValue(at row: Int) -> String {
        switch self {
        case .numeric(let values): values[row].map(ColumnData.format) ?? ""
        case .text(let values): values[row] ?? ""
        }
    }

    /// The values at `indices`, in that order. Every index must be in `0..<count`.
    func subset(_ indices: [Int]) -> ColumnData {
        switch self {
        case .numeric(let values): .numeric(indices.map { values[$0] })
        case .text(let values): .text(indices.map { values[$0] })
        }
    }

    /// Formats a number the way people write it: integers without a fraction (`42`, not `42.0`),
    /// everything else in Swift's shortest round-trip form (`101348.88`, `0.1`, `1e-07`).
    public static func format(_ value: Double) -> String {
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return value.description
    }
}
