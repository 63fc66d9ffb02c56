/// Reads one text value as a number the way the file's dialect writes numbers.
///
/// The one place that knows about the decimal comma outside the CSV reader: in a file whose
/// ``CSVDialect/decimalMark`` is `,`, `1234,56` is the number 1234.56 (its single comma is read as the
/// decimal point); everything else follows ``FieldParser`` (`.` decimals, the missing tokens).
enum NumberText {
    /// Classifies `text` as missing, a finite number, or text. With `decimalComma`, a value holding
    /// exactly one `,` and no `.` is classified with the comma replaced by `.`.
    static func classify(_ text: String, decimalComma: Bool) -> FieldValue {
        let plain = FieldParser.classify(text)
        guard plain == .text, decimalComma else { return plain }
        var commas = 0
        for byte in text.utf8 {
            if byte == 0x2C { commas += 1 }
            if byte == 0x2E { return plain }
        }
        guard commas == 1 else { return plain }
        let dotted = String(decoding: text.utf8.map { $0 == 0x2C ? 0x2E : $0 }, as: UTF8.self)
        return FieldParser.classify(dotted)
    }

    /// Whether `table` was written with a decimal comma.
    static func usesDecimalComma(_ table: Table) -> Bool {
        table.dialect?.decimalMark == 0x2C
    }
}
