/// A typed, column-oriented table read from a CSV file or built from in-memory rows.
///
/// Rows keep the 1-based source line where they start, so that every later error about a value
/// (an unseen category, a missing target, ...) can point at the exact place in the user's file.
public struct Table: Sendable, Equatable {
    /// The file name or path (or other source, such as `request`) used in messages.
    public var source: String
    /// The column names, in file order; unique and non-empty.
    public var columnNames: [String]
    /// The column values, in the same order as `columnNames`; each holds `rowCount` values.
    public var columns: [ColumnData]
    /// The number of data rows (the header is not a row).
    public var rowCount: Int
    /// The 1-based source line where each data row starts (for in-memory rows: the 1-based row number).
    public var lineNumbers: [Int]
    /// How the CSV file was written, for tables read by ``CSVReader``; `nil` for in-memory rows.
    public var dialect: CSVDialect?

    /// Whether numbers of this table may use a decimal comma: read from a CSV file whose delimiter is not
    /// a comma (see ``CSVDialect/allowsDecimalComma``).
    public var allowsDecimalComma: Bool { dialect?.allowsDecimalComma ?? false }

    /// Creates a table from already typed columns. All columns must hold `lineNumbers.count` values
    /// and `columnNames` must match `columns` one to one (callers from outside ChurnML, such as the
    /// predictor building a table from a request, check both before calling).
    public init(
        source: String, columnNames: [String], columns: [ColumnData], lineNumbers: [Int], dialect: CSVDialect? = nil
    ) {
        self.dialect = dialect
        self.source = source
        self.columnNames = columnNames
        self.columns = columns
        self.rowCount = lineNumbers.count
        self.lineNumbers = lineNumbers
    }

    /// Builds a table from in-memory text rows (for prediction requests), typing each column the same
    /// way as ``CSVReader`` does: `nil`, empty and the missing tokens are missing; a column whose other
    /// values all parse as finite decimal numbers is numeric, otherwise text.
    ///
    /// Row `i` gets line number `i + 1`. Throws ``DataError`` for an empty or duplicate column name
    /// or a row whose length differs from `columnNames.count`. Zero rows are allowed.
    public init(source: String, columnNames: [String], rows: [[String?]]) throws {
        try HeaderValidator.validate(columnNames, source: source, line: nil)
        for (index, row) in rows.enumerated() where row.count != columnNames.count {
            throw DataError(
                "expected \(columnNames.count) fields, found \(row.count)", source: source, line: index + 1)
        }
        var columns: [ColumnData] = []
        columns.reserveCapacity(columnNames.count)
        for column in columnNames.indices {
            columns.append(ColumnTyper.type(rows.map { $0[column] }))
        }
        self.init(source: source, columnNames: columnNames, columns: columns, lineNumbers: Array(1..<(rows.count + 1)))
    }

    /// The position of the column called `named` (exact match), or `nil` if there is none.
    public func columnIndex(named: String) -> Int? {
        columnNames.firstIndex(of: named)
    }

    /// The values of the column called `named` (exact match), or `nil` if there is none.
    public func column(named: String) -> ColumnData? {
        columnIndex(named: named).map { columns[$0] }
    }

    /// A table of the rows at `indices` (in that order, repeats allowed), keeping their line numbers.
    /// Every index must be in `0..<rowCount`; the indices come from the program, not from user data.
    public func rows(_ indices: [Int]) -> Table {
        Table(
            source: source,
            columnNames: columnNames,
            columns: columns.map { $0.subset(indices) },
            lineNumbers: indices.map { lineNumbers[$0] }, dialect: dialect)
    }

    /// The field at (`row`, `column`) as text for messages: numbers formatted without a trailing
    /// `.0` for integers, missing values as the empty string. Both positions must be in range.
    public func displayValue(row: Int, column: Int) -> String {
        columns[column].displayValue(at: row)
    }
}
