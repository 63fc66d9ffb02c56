/// One column's name and role, and for a numeric column what to do with a value that is not a number.
///
/// JSON form: `{"name": "CreditScore", "role": "numeric"}`, plus `"invalid": "missing"` (or `"error"`)
/// only when the schema file set a policy — so bundles written before the field existed decode
/// unchanged and encode to the same bytes.
public struct ColumnSchema: Codable, Sendable, Equatable {
    /// The column's name, as in the table header.
    public var name: String
    /// What the column is used for.
    public var role: ColumnRole
    /// For a numeric column, what happens to a value that is not a number: `nil` (the default) and
    /// ``InvalidValuePolicy/error`` refuse it; ``InvalidValuePolicy/missing`` reads it as missing.
    public var invalid: InvalidValuePolicy?

    /// Creates a column schema.
    public init(name: String, role: ColumnRole, invalid: InvalidValuePolicy? = nil) {
        self.name = name
        self.role = role
        self.invalid = invalid
    }
}
