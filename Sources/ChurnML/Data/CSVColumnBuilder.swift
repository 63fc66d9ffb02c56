/// Types CSV columns block by block while the file is scanned, so that field positions are only
/// ever held for one block of rows.
///
/// Every column starts out numeric. A block's fields are parsed column by column into a small
/// scratch buffer that is then appended to the column in one copy. The first field of a column
/// that is neither missing nor a number turns the column into text: its earlier blocks are decoded
/// in ``finish(base:count:rowStarts:lineNumbers:)`` by re-scanning just those rows.
struct CSVColumnBuilder {
    /// Rows per block: the block's field spans (16 bytes each) stay in the CPU cache.
    static let blockRows = 1024

    /// The header names, for messages.
    let columnNames: [String]
    /// The source name, for messages.
    let source: String
    /// The field delimiter, for re-scanning rows.
    let delimiter: UInt8
    /// Whether numbers may use a decimal comma (files whose delimiter is not a comma).
    let decimalComma: Bool
    /// Whether some number of each column was written with a decimal comma.
    private var decimalCommaSeen: [Bool]

    /// Whether some number of a column that stayed numeric was written with a decimal comma.
    var usedDecimalComma: Bool {
        columnNames.indices.contains { isNumeric[$0] && decimalCommaSeen[$0] }
    }
    /// Rows to reserve room for (an upper bound on the row count).
    private let capacity: Int
    /// Whether each column is still numeric.
    private var isNumeric: [Bool]
    /// Values of the numeric columns (emptied when a column turns to text).
    private var numbers: [[Double?]]
    /// Values of the text columns.
    private var texts: [[String?]]
    /// For each text column, how many leading rows still hold placeholders to decode in `finish`.
    private var pendingRows: [Int]
    /// One block's numbers for one column.
    private var scratch: [Double?]
    /// The rows appended so far.
    private(set) var rowCount = 0

    /// A builder for `columnNames`, reserving room for `capacity` rows per column, for a file with
    /// `delimiter`; numbers may use a decimal comma unless the delimiter is a comma.
    init(columnNames: [String], source: String, delimiter: UInt8, capacity: Int) {
        self.columnNames = columnNames
        self.source = source
        self.delimiter = delimiter
        self.decimalComma = CSVDialect(delimiter: delimiter).allowsDecimalComma
        self.capacity = capacity
        let count = columnNames.count
        isNumeric = [Bool](repeating: true, count: count)
        decimalCommaSeen = [Bool](repeating: false, count: count)
        numbers = (0..<count).map { _ in
            var column: [Double?] = []
            column.reserveCapacity(capacity)
            return column
        }
        texts = [[String?]](repeating: [], count: count)
        pendingRows = [Int](repeating: 0, count: count)
        scratch = [Double?](repeating: nil, count: Self.blockRows)
    }

    /// Adds a block of `rows` rows (at most ``blockRows``) whose fields are `spans`, row-major, one per
    /// column, pointing into `base`. `lineNumbers` holds the line of every row so far, this block's
    /// included. Throws ``DataError`` for invalid UTF-8 in a text field.
    mutating func append(
        block spans: UnsafeBufferPointer<FieldSpan>, rows: Int, base: UnsafePointer<UInt8>, lineNumbers: [Int]
    ) throws {
        let columnCount = columnNames.count
        let decimalComma = decimalComma
        for column in 0..<columnCount {
            if isNumeric[column] {
                var commaSeen = false
                let allNumbers = scratch.withUnsafeMutableBufferPointer { out -> Bool in
                    var index = column
                    for row in 0..<rows {
                        let span = spans[index]
                        index += columnCount
                        if span.isEscaped { return false }
                        switch FieldParser.classify(base, from: span.start, to: span.end, decimalComma: decimalComma) {
                        case .missing: out[row] = nil
                        case .number(let value):
                            out[row] = value
                            if decimalComma, !commaSeen {
                                commaSeen = FieldParser.containsComma(base, from: span.start, to: span.end)
                            }
                        case .text: return false
                        }
                    }
                    return true
                }
                if allNumbers {
                    if commaSeen { decimalCommaSeen[column] = true }
                    scratch.withUnsafeBufferPointer { numbers[column].append(contentsOf: $0.prefix(rows)) }
                    continue
                }
                becomeText(column)
            }
            for row in 0..<rows {
                let value = try text(
                    spans[row * columnCount + column], base: base, line: lineNumbers[rowCount + row], column: column)
                texts[column].append(value)
            }
        }
        rowCount += rows
    }

    /// The typed columns. `rowStarts` and `lineNumbers` give each row's first byte and line.
    mutating func finish(base: UnsafePointer<UInt8>, count: Int, rowStarts: [Int], lineNumbers: [Int]) throws
        -> [ColumnData]
    {
        var rowSpans: [FieldSpan] = []
        rowSpans.reserveCapacity(columnNames.count)
        for column in columnNames.indices where !isNumeric[column] && pendingRows[column] > 0 {
            for row in 0..<pendingRows[column] {
                var scanner = CSVScanner(
                    base: base, count: count, source: source, delimiter: delimiter, position: rowStarts[row])
                rowSpans.removeAll(keepingCapacity: true)
                _ = try scanner.scanRow(into: &rowSpans, columnNames: columnNames)
                texts[column][row] = try text(rowSpans[column], base: base, line: lineNumbers[row], column: column)
            }
        }
        return columnNames.indices.map { column in
            isNumeric[column] ? .numeric(numbers[column]) : .text(texts[column])
        }
    }

    /// Switches `column` to text, leaving placeholders for the rows of earlier blocks.
    private mutating func becomeText(_ column: Int) {
        isNumeric[column] = false
        numbers[column] = []
        pendingRows[column] = rowCount
        texts[column].reserveCapacity(capacity)
        texts[column].append(contentsOf: repeatElement(nil, count: rowCount))
    }

    /// The field as text, `nil` when missing; throws for invalid UTF-8.
    private func text(_ span: FieldSpan, base: UnsafePointer<UInt8>, line: Int, column: Int) throws -> String? {
        if !span.isEscaped, FieldParser.isMissing(base, from: span.start, to: span.end) { return nil }
        guard let text = ColumnTyper.decode(base: base, span: span) else {
            let raw = UnsafeBufferPointer(start: base + span.contentStart, count: span.end - span.contentStart)
            throw DataError(
                "is not valid UTF-8 text (save the file as UTF-8)", source: source, line: line,
                column: columnNames[column], value: String(decoding: raw, as: UTF8.self))
        }
        return text
    }
}
