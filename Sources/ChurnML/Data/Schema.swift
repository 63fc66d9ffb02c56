/// The roles of all columns of a training table, its target, which target value is positive, and
/// the notes inference made about columns it dropped or reinterpreted.
///
/// JSON form: `{"columns": [...], "target": "Exited", "positiveLabel": "1", "notes": [{"column",
/// "role", "reason"}]}`; `notes` may be absent (bundles written before notes existed).
public struct Schema: Codable, Sendable, Equatable {
    /// Every column of the table, in table order, including id and target columns.
    public var columns: [ColumnSchema]
    /// The name of the target column.
    public var target: String
    /// The target value meaning "churned", as text (`"1"`, `"Yes"`, ...); numbers are written as
    /// ``ColumnData/format(_:)`` writes them.
    public var positiveLabel: String
    /// One note per column that inference dropped or read differently from what its values suggest
    /// (see ``ColumnNote``), in table order.
    public var notes: [ColumnNote]

    /// Creates a schema.
    public init(columns: [ColumnSchema], target: String, positiveLabel: String, notes: [ColumnNote] = []) {
        self.columns = columns
        self.target = target
        self.positiveLabel = positiveLabel
        self.notes = notes
    }

    /// Decodes the JSON form; a missing `notes` key means no notes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        columns = try container.decode([ColumnSchema].self, forKey: .columns)
        target = try container.decode(String.self, forKey: .target)
        positiveLabel = try container.decode(String.self, forKey: .positiveLabel)
        notes = try container.decodeIfPresent([ColumnNote].self, forKey: .notes) ?? []
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
