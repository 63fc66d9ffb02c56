/// The first pass of CSV reading: splits bytes into rows and fields (RFC 4180, with the delimiter
/// of the file's dialect) and records where each field's content lies, without copying or decoding
/// anything.
///
/// Accepts LF, CRLF and lone CR line endings (mixed), skips a UTF-8 byte-order mark at the start
/// and blank lines anywhere, and counts source lines (including newlines inside quoted fields) so
/// that every row knows the line it starts on. A quote inside an unquoted field is kept literally.
///
/// The scanner holds a pointer into a buffer owned by its caller; it must not outlive the
/// `withUnsafeBufferPointer` closure that provided it.
struct CSVScanner {
    private static let quote: UInt8 = 0x22
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    /// The bytes being scanned.
    let base: UnsafePointer<UInt8>
    /// The number of bytes.
    let count: Int
    /// The source name used in error messages.
    let source: String
    /// The field delimiter: `,` `;` tab or `|`.
    let delimiter: UInt8
    /// The largest of the delimiter, CR and LF: any byte above it is plain field content.
    private let highestSpecial: UInt8
    /// The next byte to scan.
    private(set) var position: Int
    /// The 1-based line of `position`.
    private(set) var line: Int

    /// Starts scanning `count` bytes at `base`, after a UTF-8 byte-order mark if there is one.
    init(base: UnsafePointer<UInt8>, count: Int, source: String, delimiter: UInt8) {
        self.base = base
        self.count = count
        self.source = source
        self.delimiter = delimiter
        self.highestSpecial = max(delimiter, Self.carriageReturn)
        self.line = 1
        let hasBOM = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
        self.position = hasBOM ? 3 : 0
    }

    /// Resumes scanning at `position`, the start of a row already scanned once (line numbers are
    /// then meaningless, which is fine because such a row cannot fail again).
    init(base: UnsafePointer<UInt8>, count: Int, source: String, delimiter: UInt8, position: Int) {
        self.base = base
        self.count = count
        self.source = source
        self.delimiter = delimiter
        self.highestSpecial = max(delimiter, Self.carriageReturn)
        self.line = 1
        self.position = position
    }

    /// An upper bound on the number of rows from `position` on: line feeds plus carriage returns
    /// plus one. Counted eight bytes at a time; used to reserve room for rows.
    func lineCountBound() -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // High bit of each byte of the result is set exactly where a byte of `word` is zero.
        @inline(__always) func zeroBytes(_ word: UInt64) -> Int {
            (~(((word & low7) &+ low7) | word | low7)).nonzeroBitCount
        }
        var breaks = 0
        var index = position
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            breaks += zeroBytes(word ^ (ones &* UInt64(Self.lineFeed)))
            breaks += zeroBytes(word ^ (ones &* UInt64(Self.carriageReturn)))
            index += 8
        }
        while index < count {
            if base[index] == Self.lineFeed || base[index] == Self.carriageReturn { breaks += 1 }
            index += 1
        }
        return breaks + 1
    }

    /// Skips empty lines; returns `false` when the end of the input is reached.
    mutating func skipBlankLines() -> Bool {
        while position < count {
            let byte = base[position]
            if byte == Self.lineFeed {
                position += 1
            } else if byte == Self.carriageReturn {
                position += 1
                if position < count, base[position] == Self.lineFeed { position += 1 }
            } else {
                return true
            }
            line += 1
        }
        return false
    }

    /// Scans one row (which must not be blank or at the end of input), appends one span per field
    /// to `spans`, consumes the row's line ending, and returns the number of fields.
    ///
    /// `columnNames` only serves error messages. Throws ``DataError`` for a quoted field that is never
    /// closed or one followed by something other than the delimiter or a line end.
    mutating func scanRow(into spans: inout [FieldSpan], columnNames: [String]?) throws -> Int {
        let bytes = base
        let end = count
        let delimiter = delimiter
        let highestSpecial = highestSpecial
        var index = position
        var currentLine = line
        var fields = 0
        while true {
            if index < end, bytes[index] == Self.quote {
                let quoteLine = currentLine
                index += 1
                let start = index
                var escaped = false
                var closed = false
                while index < end {
                    let byte = bytes[index]
                    if byte == Self.quote {
                        if index + 1 < end, bytes[index + 1] == Self.quote {
                            escaped = true
                            index += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if byte == Self.lineFeed {
                        currentLine += 1
                    } else if byte == Self.carriageReturn, !(index + 1 < end && bytes[index + 1] == Self.lineFeed) {
                        currentLine += 1
                    }
                    index += 1
                }
                guard closed else {
                    throw DataError(
                        "quoted field is never closed (a closing \" is missing)", source: source, line: quoteLine,
                        column: Self.name(of: fields, in: columnNames),
                        value: text(from: start, to: min(end, start + 60)))
                }
                spans.append(FieldSpan(start: start, end: index, escaped: escaped))
                index += 1
                if index < end {
                    let byte = bytes[index]
                    if byte != delimiter && byte != Self.lineFeed && byte != Self.carriageReturn {
                        throw DataError(
                            "has text after its closing quote; a quote inside a quoted field must be doubled (\"\")",
                            source: source, line: currentLine, column: Self.name(of: fields, in: columnNames),
                            value: text(from: start, to: min(end, index + 20)))
                    }
                }
            } else {
                let start = index
                while index < end {
                    let byte = bytes[index]
                    // For a comma file the delimiter, CR and LF are all <= 0x2C; most data bytes are above it.
                    if byte > highestSpecial {
                        index += 1
                        continue
                    }
                    if byte == delimiter || byte == Self.lineFeed || byte == Self.carriageReturn { break }
                    index += 1
                }
                spans.append(FieldSpan(start: start, end: index))
            }
            fields += 1
            if index < end, bytes[index] == delimiter {
                index += 1
                continue
            }
            if index < end {
                if bytes[index] == Self.carriageReturn, index + 1 < end, bytes[index + 1] == Self.lineFeed {
                    index += 2
                } else {
                    index += 1
                }
                currentLine += 1
            }
            break
        }
        position = index
        line = currentLine
        return fields
    }

    /// The bytes `start..<end` as text for messages, invalid UTF-8 replaced, line ending dropped.
    func text(from start: Int, to end: Int) -> String {
        var stop = end
        while stop > start, base[stop - 1] == Self.lineFeed || base[stop - 1] == Self.carriageReturn { stop -= 1 }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: max(0, stop - start)), as: UTF8.self)
    }

    /// The header name of field `index`, or `column N` when the header is unknown or too short.
    static func name(of index: Int, in columnNames: [String]?) -> String {
        if let columnNames, index < columnNames.count { return columnNames[index] }
        return "column \(index + 1)"
    }
}
