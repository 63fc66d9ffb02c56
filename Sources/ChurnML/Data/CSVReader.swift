/// Reads CSV files as spreadsheets and databases write them into a typed ``Table``.
///
/// Dialect: the delimiter is detected among `,` `;` tab and `|` from the header and first rows
/// (``DelimiterDetector``), unless ``CSVReadOptions/delimiter`` forces one. In a file whose delimiter
/// is not a comma, numbers may use a decimal comma (`1234,56`). A gzip-compressed file is inflated;
/// UTF-16 (with a byte-order mark, or recognisable by its zero bytes) is decoded; a UTF-8 byte-order
/// mark is skipped; UTF-32 is refused. What was found is recorded in ``Table/dialect``.
///
/// Format (RFC 4180 with that delimiter): fields may be quoted with `"`, with `""` standing for one
/// quote, and quoted fields may contain the delimiter and line breaks; LF, CRLF or CR line endings
/// (mixed); the first row is the header (names trimmed of spaces and tabs, non-empty and unique);
/// blank lines are skipped, so a trailing newline or final empty line is fine.
///
/// Typing: a field is missing when it is blank or (in any letter case) `NA`, `N/A`, `NaN`, `null`
/// or `None`. A column is numeric when every non-missing field is a finite decimal number
/// (`[+-]digits[.digits][e[+-]digits]`, surrounding spaces allowed), otherwise text.
///
/// Every problem is a ``DataError`` with the source, 1-based line, column and value where known.
public enum CSVReader {
    /// Reads and types the CSV file at `path`; `path` as given is the table's `source`.
    public static func read(contentsOf path: String, options: CSVReadOptions = CSVReadOptions()) throws -> Table {
        try parse(FileBytes.read(path), source: path, options: options)
    }

    /// Parses and types CSV `bytes`; `source` names them in messages.
    public static func parse(_ bytes: [UInt8], source: String, options: CSVReadOptions = CSVReadOptions()) throws
        -> Table
    {
        if let forced = options.delimiter, !CSVDialect.delimiters.contains(forced) {
            throw DataError("cannot be read with delimiter byte \(forced); use one of , ; tab |", source: source)
        }
        if Gzip.isCompressed(bytes) || bytes.first == 0xFF || bytes.first == 0xFE || bytes.first == 0x00
            || (bytes.count > 1 && bytes[1] == 0x00)
        {
            let decoded = try CSVTextDecoder.decode(bytes, source: source)
            return try parse(utf8: decoded.bytes, source: source, options: options, dialect: decoded.dialect)
        }
        var dialect = CSVDialect()
        dialect.byteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        return try parse(utf8: bytes, source: source, options: options, dialect: dialect)
    }

    /// Detects the delimiter of UTF-8 `bytes` (unless forced) and reads them.
    private static func parse(utf8 bytes: [UInt8], source: String, options: CSVReadOptions, dialect: CSVDialect) throws
        -> Table
    {
        try bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                throw DataError("is empty; expected a header row and data rows", source: source)
            }
            var dialect = dialect
            dialect.delimiter = options.delimiter ?? DelimiterDetector.detect(buffer)
            dialect.delimiterDetected = options.delimiter == nil
            return try parse(base: base, count: buffer.count, source: source, dialect: dialect)
        }
    }

    /// Both passes over bytes owned by the caller.
    private static func parse(base: UnsafePointer<UInt8>, count: Int, source: String, dialect: CSVDialect) throws
        -> Table
    {
        var dialect = dialect
        var scanner = CSVScanner(base: base, count: count, source: source, delimiter: dialect.delimiter)
        guard scanner.skipBlankLines() else {
            throw DataError("is empty; expected a header row and data rows", source: source)
        }
        let headerLine = scanner.line
        var headerSpans: [FieldSpan] = []
        _ = try scanner.scanRow(into: &headerSpans, columnNames: nil)
        let columnNames = try headerSpans.enumerated().map { index, span in
            guard let name = ColumnTyper.decode(base: base, span: span) else {
                throw DataError(
                    "header column \(index + 1) is not valid UTF-8 text", source: source, line: headerLine,
                    value: scanner.text(from: span.contentStart, to: span.end))
            }
            return trimmed(name)
        }
        try HeaderValidator.validate(columnNames, source: source, line: headerLine)

        let columnCount = columnNames.count
        let capacity = scanner.lineCountBound()
        var builder = CSVColumnBuilder(
            columnNames: columnNames, source: source, delimiter: dialect.delimiter, capacity: capacity)
        var blockSpans: [FieldSpan] = []
        blockSpans.reserveCapacity((CSVColumnBuilder.blockRows + 1) * columnCount)
        var blockRows = 0
        var lineNumbers: [Int] = []
        var rowStarts: [Int] = []
        lineNumbers.reserveCapacity(capacity)
        rowStarts.reserveCapacity(capacity)
        func flush() throws {
            try blockSpans.withUnsafeBufferPointer {
                try builder.append(block: $0, rows: blockRows, base: base, lineNumbers: lineNumbers)
            }
            blockSpans.removeAll(keepingCapacity: true)
            blockRows = 0
        }
        while scanner.skipBlankLines() {
            let rowLine = scanner.line
            let rowStart = scanner.position
            let fields = try scanner.scanRow(into: &blockSpans, columnNames: columnNames)
            guard fields == columnCount else {
                throw DataError(
                    "expected \(columnCount) fields, found \(fields)", source: source, line: rowLine,
                    value: scanner.text(from: rowStart, to: scanner.position))
            }
            lineNumbers.append(rowLine)
            rowStarts.append(rowStart)
            blockRows += 1
            if blockRows == CSVColumnBuilder.blockRows { try flush() }
        }
        if blockRows > 0 { try flush() }
        guard !lineNumbers.isEmpty else {
            throw DataError("has a header but no data rows", source: source, line: headerLine)
        }
        let columns = try builder.finish(base: base, count: count, rowStarts: rowStarts, lineNumbers: lineNumbers)
        if builder.usedDecimalComma { dialect.decimalMark = 0x2C }
        return Table(
            source: source, columnNames: columnNames, columns: columns, lineNumbers: lineNumbers, dialect: dialect)
    }

    /// `text` without leading and trailing spaces and tabs.
    private static func trimmed(_ text: String) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) })
        else {
            return ""
        }
        return String(text[first...last])
    }
}
