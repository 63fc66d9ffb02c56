import Foundation

/// A small RFC 4180 CSV reader for uploaded customer files: a header line, then rows of the same
/// width; quoted fields (with `""` escapes and line breaks), CRLF or LF, a UTF-8 byte-order mark.
/// Problems are ``FieldError``s naming the line.
struct CSVTable {
    /// Column names from the header.
    var header: [String]
    /// Data rows, each as wide as the header.
    var rows: [[String]]
    /// The 1-based line each data row starts on.
    var lines: [Int]

    /// Parses `bytes`; at most `maxRows` data rows.
    init(bytes: some Collection<UInt8>, maxRows: Int) throws {
        var fields: [String] = []
        var records: [([String], Int)] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var iterator = bytes.makeIterator()
        var pending: UInt8? = nil
        var first = true
        func next() -> UInt8? {
            if let byte = pending { pending = nil; return byte }
            return iterator.next()
        }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() throws {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((fields, recordLine)) }
            fields.removeAll(keepingCapacity: true)
            if records.count > maxRows + 1 {
                throw GatewayError(
                    status: .contentTooLarge, code: "too_many_rows", message: "the file has more than \(maxRows) rows",
                    fields: [FieldError(field: "file", message: "at most \(maxRows) rows per upload")])
            }
        }
        while let byte = next() {
            if first {
                first = false
                // A UTF-8 byte-order mark before the header is skipped.
                if byte == 0xEF, let b = next() {
                    if b == 0xBB, let c = next() {
                        if c == 0xBF { continue }
                        field += [byte, b]
                        pending = c
                        continue
                    }
                    field.append(byte)
                    pending = b
                    continue
                }
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if let following = next() {
                        if following == UInt8(ascii: "\"") {
                            field.append(following)
                        } else {
                            inQuotes = false
                            afterQuote = true
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 10 { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !afterQuote else {
                    throw Self.problem(line, "a quote inside an unquoted field (quote the whole field and double its quotes)")
                }
                inQuotes = true
            case UInt8(ascii: ","):
                endField()
            case 13:
                if let following = next(), following != 10 { pending = following }
                try endRecord()
                line += 1
                recordLine = line
            case 10:
                try endRecord()
                line += 1
                recordLine = line
            default:
                guard !afterQuote else { throw Self.problem(line, "text after a closing quote") }
                field.append(byte)
            }
        }
        if inQuotes { throw Self.problem(recordLine, "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { try endRecord() }
        guard let header = records.first?.0 else {
            throw GatewayError.invalidInput("the file is empty", fields: [FieldError(field: "file", message: "no header line")])
        }
        self.header = header.map { String(NumberText.trim(Substring($0))) }
        var rows: [[String]] = []
        var lines: [Int] = []
        rows.reserveCapacity(records.count - 1)
        for (record, recordLine) in records.dropFirst() {
            guard record.count == header.count else {
                throw Self.problem(recordLine, "\(record.count) fields, the header has \(header.count)")
            }
            rows.append(record)
            lines.append(recordLine)
        }
        guard !rows.isEmpty else {
            throw GatewayError.invalidInput("the file has no rows", fields: [FieldError(field: "file", message: "only a header line")])
        }
        self.rows = rows
        self.lines = lines
    }

    /// A 400 naming `line`.
    private static func problem(_ line: Int, _ message: String) -> GatewayError {
        GatewayError.invalidInput("line \(line): \(message)", fields: [FieldError(field: "line \(line)", message: message)])
    }

    /// The CSV text of one field (quoted when needed).
    static func quote(_ text: String) -> String {
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
