/// The one CSV field quoting (RFC 4180) for every CSV Churn writes: ranked-customer files, the
/// gateway's ranking download. A field is quoted, with its quotes doubled, when it holds a comma, a
/// quote, a CR or an LF; otherwise it is written as it is. The test is on bytes, not characters,
/// because Swift reads `"\r\n"` as one `Character` that equals neither `"\r"` nor `"\n"`.
public enum CSVField {
    /// Whether `text` must be quoted to stay one field.
    public static func needsQuotes(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The CSV text of one field.
    public static func quote(_ text: String) -> String {
        guard needsQuotes(text) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the CSV bytes of one field to `bytes`.
    public static func append(_ text: String, to bytes: inout [UInt8]) {
        if needsQuotes(text) {
            appendQuoted(text, to: &bytes)
        } else {
            bytes.append(contentsOf: text.utf8)
        }
    }

    private static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 { bytes.append(0x22) }
            bytes.append(byte)
        }
        bytes.append(0x22)
    }
}
