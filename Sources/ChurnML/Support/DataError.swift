/// An error in user-supplied data (a CSV file, a schema file, a prediction row), located as
/// precisely as possible so that the person who made the data can find and fix it.
///
/// `description` is the one-line message shown to users, e.g.
/// `customers.csv:17: column "Age": "forty" is not a number`.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or other source, such as `--row`) the data came from, when known.
    public var source: String?
    /// The 1-based line in the source, when known.
    public var line: Int?
    /// The column (field) name, when known.
    public var column: String?
    /// The offending value, when there is one.
    public var value: String?
    /// What is wrong, in plain words.
    public var reason: String

    /// Creates an error; every location part is optional.
    public init(_ reason: String, source: String? = nil, line: Int? = nil, column: String? = nil, value: String? = nil)
    {
        self.reason = reason
        self.source = source
        self.line = line
        self.column = column
        self.value = value
    }

    /// `source:line: column "C": "value" reason`, leaving out the parts that are unknown.
    public var description: String {
        var location = ""
        if let source { location += source }
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        var text = location.isEmpty ? "" : location + ": "
        if let column { text += "column \"\(column)\": " }
        if let value { text += "\"\(DataError.abbreviated(value))\" " }
        text += reason
        return text
    }

    /// Shortens a value to at most 60 characters so that one bad field cannot flood a terminal.
    static func abbreviated(_ value: String) -> String {
        value.count <= 60 ? value : String(value.prefix(57)) + "..."
    }
}
