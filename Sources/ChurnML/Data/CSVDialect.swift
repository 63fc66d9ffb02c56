/// How a CSV file is written: its field delimiter, its decimal mark, its text encoding and whether it
/// was compressed. ``CSVReader`` detects it (or takes a forced delimiter) and records it on the
/// ``Table`` it returns, so that the registry can keep it with a dataset and a profile can show it.
///
/// JSON form (`Codable`): `{"delimiter": ";", "decimal_mark": ",", "encoding": "utf-8",
/// "byte_order_mark": true, "compression": "gzip", "delimiter_detected": true}`.
public struct CSVDialect: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The delimiters the reader detects, in order of preference when the evidence ties.
    public static let delimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]

    /// The field delimiter: `,`, `;`, tab or `|`.
    public var delimiter: UInt8
    /// The decimal mark numbers were written with: `.` always works; `,` when some numeric column of a
    /// file whose delimiter is not a comma uses it (`1234,56`).
    public var decimalMark: UInt8
    /// The text encoding the file arrived in: `utf-8`, `utf-16le` or `utf-16be` (UTF-16 is decoded).
    public var encoding: String
    /// Whether the file started with a byte-order mark.
    public var byteOrderMark: Bool
    /// `gzip` when the bytes were gzip-compressed, else `none`.
    public var compression: String
    /// Whether the delimiter was detected (`true`) or forced by the caller (`--delimiter`).
    public var delimiterDetected: Bool

    /// Creates a dialect; the defaults describe a plain comma-separated UTF-8 file.
    public init(
        delimiter: UInt8 = 0x2C, decimalMark: UInt8 = 0x2E, encoding: String = "utf-8", byteOrderMark: Bool = false,
        compression: String = "none", delimiterDetected: Bool = true
    ) {
        self.delimiter = delimiter
        self.decimalMark = decimalMark
        self.encoding = encoding
        self.byteOrderMark = byteOrderMark
        self.compression = compression
        self.delimiterDetected = delimiterDetected
    }

    /// Whether numbers may be written with a decimal comma: in every file whose delimiter is not a comma
    /// (the reader's rule; text values of such a file are read as numbers the same way).
    public var allowsDecimalComma: Bool { delimiter != 0x2C }

    /// The delimiter's name for people: `comma`, `semicolon`, `tab` or `pipe`.
    public var delimiterName: String { Self.name(of: delimiter) }

    /// `semicolon-separated, decimal comma, UTF-8 with BOM, gzip`: the parts that differ from a plain file
    /// are named; a plain file is `comma-separated, UTF-8`.
    public var description: String {
        var parts = ["\(delimiterName)-separated\(delimiterDetected ? "" : " (forced)")"]
        if decimalMark == 0x2C { parts.append("decimal comma") }
        parts.append(encoding.uppercased() + (byteOrderMark ? " with BOM" : ""))
        if compression != "none" { parts.append(compression) }
        return parts.joined(separator: ", ")
    }

    /// The name of a delimiter byte.
    public static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case 0x2C: "comma"
        case 0x3B: "semicolon"
        case 0x09: "tab"
        case 0x7C: "pipe"
        default: "byte \(delimiter)"
        }
    }

    /// The delimiter named by `text`: `,` `;` `|`, a tab character, `\t`, or the words `comma`,
    /// `semicolon`, `tab`, `pipe`; `nil` for anything else.
    public static func delimiter(named text: String) -> UInt8? {
        switch text.lowercased() {
        case ",", "comma": 0x2C
        case ";", "semicolon": 0x3B
        case "\t", "\\t", "tab": 0x09
        case "|", "pipe": 0x7C
        default: nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case delimiter
        case decimalMark = "decimal_mark"
        case encoding
        case byteOrderMark = "byte_order_mark"
        case compression
        case delimiterDetected = "delimiter_detected"
    }

    /// Decodes the JSON form, where the delimiter and decimal mark are one-character strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let delimiterText = try container.decode(String.self, forKey: .delimiter)
        let markText = try container.decode(String.self, forKey: .decimalMark)
        guard let delimiter = Self.delimiter(named: delimiterText) else {
            throw DataError("is not a CSV delimiter; use one of , ; tab |", value: delimiterText)
        }
        guard markText == "." || markText == "," else {
            throw DataError("is not a decimal mark; use . or ,", value: markText)
        }
        self.delimiter = delimiter
        self.decimalMark = markText == "," ? 0x2C : 0x2E
        encoding = try container.decode(String.self, forKey: .encoding)
        byteOrderMark = try container.decode(Bool.self, forKey: .byteOrderMark)
        compression = try container.decode(String.self, forKey: .compression)
        delimiterDetected = try container.decodeIfPresent(Bool.self, forKey: .delimiterDetected) ?? true
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(decoding: [delimiter], as: UTF8.self), forKey: .delimiter)
        try container.encode(decimalMark == 0x2C ? "," : ".", forKey: .decimalMark)
        try container.encode(encoding, forKey: .encoding)
        try container.encode(byteOrderMark, forKey: .byteOrderMark)
        try container.encode(compression, forKey: .compression)
        try container.encode(delimiterDetected, forKey: .delimiterDetected)
    }
}

/// What a caller may force when reading CSV: today the delimiter (`--delimiter`).
public struct CSVReadOptions: Sendable, Equatable {
    /// The delimiter to use instead of detecting one; one of ``CSVDialect/delimiters``.
    public var delimiter: UInt8?

    /// Options; `nil` detects the delimiter.
    public init(delimiter: UInt8? = nil) {
        self.delimiter = delimiter
    }

    /// Options forcing the delimiter named by `name` (see ``CSVDialect/delimiter(named:)``); `nil`
    /// detects it. Throws ``DataError`` for a name that is not a delimiter.
    public init(delimiterNamed name: String?) throws {
        guard let name else {
            self.init()
            return
        }
        guard let byte = CSVDialect.delimiter(named: name) else {
            throw DataError(
                "is not a CSV delimiter; use one of , ; tab | (or comma, semicolon, tab, pipe)", value: name)
        }
        self.init(delimiter: byte)
    }

    /// The options that read a file again exactly as `dialect` says it was read: its delimiter forced
    /// when it was forced, detected again otherwise (detection gives the same answer on the same bytes).
    public init(rereading dialect: CSVDialect?) {
        self.init(delimiter: dialect.flatMap { $0.delimiterDetected ? nil : $0.delimiter })
    }
}
