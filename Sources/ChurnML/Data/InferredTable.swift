/// A table ready for training: the table (numeric columns that the schema file lets hold stray text
/// already read as numbers, the strays missing), its schema with the notes about dropped and
/// reinterpreted columns, and warnings about values read differently from how they were written.
/// ``SchemaInference/prepare(_:target:overrides:)`` makes it.
public struct InferredTable: Sendable {
    /// The table to train on.
    public var table: Table
    /// The inferred schema; `schema.notes` holds the notes.
    public var schema: Schema
    /// One line per column whose values were read differently: `CreditScore: 1 value is not a number
    /// (line 7 "six-hundred"); read as missing and imputed with the training median ("invalid": "missing" in schema.json)`.
    public var warnings: [String]

    /// Creates a prepared table.
    public init(table: Table, schema: Schema, warnings: [String]) {
        self.table = table
        self.schema = schema
        self.warnings = warnings
    }

    /// The notes about columns inference dropped or reinterpreted, in table order.
    public var notes: [ColumnNote] { schema.notes }

    /// The notes and then the warnings, one line each, as `churn train` prints them on standard error.
    public var messages: [String] { notes.map(\.description) + warnings }
}
