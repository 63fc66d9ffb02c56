/// A query that could not be read: what went wrong and at which column (1-based, counted in
/// Unicode scalars of the query text).
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in plain words (names the unexpected token when there is one).
    public var message: String
    /// 1-based column where the problem starts.
    public var column: Int

    public init(_ message: String, column: Int) {
        self.message = message
        self.column = column
    }

    /// `query error at column 12: unexpected "or", expected a field name`.
    public var description: String {
        "query error at column \(column): \(message)"
    }
}
