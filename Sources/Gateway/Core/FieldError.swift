/// One problem with one input value: which field (and row, for row data), and what is wrong, in
/// words a person can act on. Carried by ``GatewayError`` and shown next to form fields.
public struct FieldError: Codable, Sendable, Equatable {
    /// Where, as a path: `rows[2].Age`, `explain`, `token`, or a form field's name.
    public var field: String
    /// 0-based row index for row data (API rows, CSV data rows), nil otherwise.
    public var row: Int?
    /// The model column, for row data.
    public var column: String?
    /// What is wrong.
    public var message: String

    /// Creates a field error.
    public init(field: String, row: Int? = nil, column: String? = nil, message: String) {
        self.field = field
        self.row = row
        self.column = column
        self.message = message
    }

    /// An error about `column` of row `row` of the API's `rows` array.
    static func row(_ row: Int, _ column: String, _ message: String) -> FieldError {
        FieldError(field: "rows[\(row)].\(column)", row: row, column: column, message: message)
    }

    /// Splits a predictor error field such as `Age[3]` into column and row (nil row without an index).
    static func fromPredictorField(_ field: String, message: String) -> FieldError {
        if field.hasSuffix("]"), let open = field.lastIndex(of: "["),
            let row = Int(field[field.index(after: open)..<field.index(before: field.endIndex)])
        {
            let column = String(field[..<open])
            return .row(row, column, message)
        }
        return FieldError(field: field, column: field, message: message)
    }
}
