import NIOCore

/// A value the predictor encoded with a fallback (an unseen category under the `zeros` policy),
/// reported in the Predict response (wire.md §13.2).
///
/// Wire layout: `u32 row` (0-based index in the request), `string column`, `string value`,
/// `string message`.
public struct PredictWarning: Hashable, Sendable, CustomStringConvertible {
    /// 0-based row index in the request.
    public var row: UInt32
    /// The column.
    public var column: String
    /// The value training never saw, as text.
    public var value: String
    /// What was done instead.
    public var message: String

    /// Creates a warning.
    public init(row: UInt32, column: String, value: String, message: String) {
        self.row = row
        self.column = column
        self.value = value
        self.message = message
    }

    /// Decodes a warning.
    public init(from reader: inout WireReader) throws {
        row = try reader.integer("warnings[].row")
        column = try reader.string("warnings[].column", maxLength: PredictColumn.maxNameLength)
        value = try reader.string("warnings[].value")
        message = try reader.string("warnings[].message")
    }

    /// Encodes the warning.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(row)
        buffer.writeWireString(column)
        buffer.writeWireString(value)
        buffer.writeWireString(message)
    }

    /// `row R: column "C": "V" message`.
    public var description: String { "row \(row): column \"\(column)\": \"\(value)\" \(message)" }
}
