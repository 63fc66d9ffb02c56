/// One column's name and role.
public struct ColumnSchema: Codable, Sendable, Equatable {
    /// The column's name, as in the table header.
    public var name: String
    /// What the column is used for.
    public var role: ColumnRole

    /// Creates a column schema.
    public init(name: String, role: ColumnRole) {
        self.name = name
        self.role = role
    }
}
