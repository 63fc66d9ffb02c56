/// One line about a column that schema inference dropped or read differently from what its values
/// suggest, with the reason: `Surname: 2,932 distinct texts in 10,000 rows (more than 100 levels) -> id, not used`.
///
/// Inference never drops or retypes a column silently: every column that gets role `id` (by the data
/// or by the schema file), a numeric column with two values other than 0 and 1 read as binary, and a
/// text column most of whose values are numbers get a note. `churn train` prints the notes on standard
/// error, and the model bundle keeps them in its schema (JSON `{"column", "role", "reason"}`).
public struct ColumnNote: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The column's name.
    public var column: String
    /// The role the column got.
    public var role: ColumnRole
    /// Why, in words (the same text `churn profile` shows as the column's reason).
    public var reason: String

    /// Creates a note.
    public init(column: String, role: ColumnRole, reason: String) {
        self.column = column
        self.role = role
        self.reason = reason
    }

    /// `column: reason -> role` (`-> id, not used` for dropped columns).
    public var description: String {
        "\(column): \(reason) -> \(role == .id ? "id, not used" : role.rawValue)"
    }
}
