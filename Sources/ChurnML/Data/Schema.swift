/// The roles of all columns of a training table, its target, and which target value is positive.
public struct Schema: Codable, Sendable, Equatable {
    /// Every column of the table, in table order, including id and target columns.
    public var columns: [ColumnSchema]
    /// The name of the target column.
    public var target: String
    /// The target value meaning "churned", as text (`"1"`, `"Yes"`, ...); numbers are written as
    /// ``ColumnData/format(_:)`` writes them.
    public var positiveLabel: String

    /// Creates a schema.
    public init(columns: [ColumnSchema], target: String, positiveLabel: String) {
        self.columns = columns
        self.target = target
        self.positiveLabel = positiveLabel
    }

    /// The model's input columns (roles numeric, categorical and binary), in table order.
    public var featureColumns: [ColumnSchema] {
        columns.filter { $0.role.isFeature }
    }

    /// The role of the column called `name`, or `nil` if the schema has no such column.
    public func role(of name: String) -> ColumnRole? {
        columns.first { $0.name == name }?.role
    }
}
