/// Typing of in-memory columns, and decoding of single CSV fields to text.
///
/// A column is numeric when every non-missing field is a finite decimal number (see
/// ``FieldParser``); otherwise it is text, and its non-missing fields are kept exactly as written
/// (after quote removal and `""` unescaping), validated as UTF-8.
enum ColumnTyper {
    /// Types one column of in-memory values (`nil` is missing).
    static func type(_ values: [String?]) -> ColumnData {
        var numbers: [Double?] = []
        numbers.reserveCapacity(values.count)
        var isNumeric = true
        for value in values {
            guard let value else {
                numbers.append(nil)
                continue
            }
            switch FieldParser.classify(value) {
            case .missing: numbers.append(nil)
            case .number(let number): numbers.append(number)
            case .text: isNumeric = false
            }
            if !isNumeric { break }
        }
        if isNumeric { return .numeric(numbers) }
        return .text(
            values.map { value in
                guard let value, FieldParser.classify(value) != .missing else { return nil }
                return value
            })
    }

    /// The field's content as a string, `""` escapes undone; `nil` for invalid UTF-8.
    static func decode(base: UnsafePointer<UInt8>, span: FieldSpan) -> String? {
        let start = span.contentStart
        let raw = UnsafeBufferPointer(start: base + start, count: span.end - start)
        guard span.isEscaped else { return UTF8Check.string(raw) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            unescaped.append(raw[index])
            // Inside a quoted field every quote is doubled; keep one of each pair.
            index += raw[index] == 0x22 ? 2 : 1
        }
        return unescaped.withUnsafeBufferPointer { UTF8Check.string($0) }
    }
}
