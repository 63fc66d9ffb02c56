/// Turns the bytes of a CSV file as it arrived into UTF-8: gunzips a gzip file, decodes UTF-16 (with a
/// byte-order mark, or recognisable by its zero bytes), refuses UTF-32, and notes what it found in a
/// ``CSVDialect``. UTF-8 passes through untouched (its byte-order mark is skipped by the scanner).
enum CSVTextDecoder {
    /// UTF-8 bytes of `bytes`, and the dialect's encoding, byte-order-mark and compression parts.
    static func decode(_ bytes: [UInt8], source: String) throws -> (bytes: [UInt8], dialect: CSVDialect) {
        var dialect = CSVDialect()
        var bytes = bytes
        if Gzip.isCompressed(bytes) {
            bytes = try Gzip.decompress(bytes, source: source)
            dialect.compression = "gzip"
        }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw DataError(
                "is UTF-32 text, which is not supported; save the file as UTF-8 (or UTF-16)", source: source)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            dialect.byteOrderMark = true
            return (bytes, dialect)
        }
        let bigEndian: Bool
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            bigEndian = bytes[0] == 0xFE
            dialect.byteOrderMark = true
        } else if let guess = unmarkedUTF16(bytes) {
            bigEndian = guess
        } else {
            return (bytes, dialect)
        }
        dialect.encoding = bigEndian ? "utf-16be" : "utf-16le"
        return (
            try utf8(fromUTF16: bytes, skip: dialect.byteOrderMark ? 2 : 0, bigEndian: bigEndian, source: source),
            dialect
        )
    }

    /// Whether `bytes` look like UTF-16 without a byte-order mark: in the first 256 bytes, at least half
    /// of the bytes at odd (or even) offsets are zero, as ASCII text in UTF-16 makes them, and at most a
    /// few at the other offsets are (a character such as U+4E00 or a surrogate can make one). UTF-8
    /// text holds no zero bytes. `true` for big-endian, `false` for
    /// little-endian, `nil` when it does not look like UTF-16.
    private static func unmarkedUTF16(_ bytes: [UInt8]) -> Bool? {
        let sample = bytes.prefix(256)
        guard sample.count >= 4 else { return nil }
        var zeros = [0, 0]
        for (offset, byte) in sample.enumerated() where byte == 0 { zeros[offset % 2] += 1 }
        let pairs = sample.count / 2
        if zeros[1] * 2 >= pairs, zeros[0] * 4 < zeros[1] { return false }
        if zeros[0] * 2 >= pairs, zeros[1] * 4 < zeros[0] { return true }
        return nil
    }

    /// Transcodes UTF-16 code units (after `skip` bytes) to UTF-8, refusing an odd byte count or an
    /// unpaired surrogate with the byte offset where it is.
    private static func utf8(fromUTF16 bytes: [UInt8], skip: Int, bigEndian: Bool, source: String) throws -> [UInt8] {
        let encoding = bigEndian ? "UTF-16BE" : "UTF-16LE"
        guard (bytes.count - skip) % 2 == 0 else {
            throw DataError(
                "is \(encoding) text with an odd number of bytes (the file is cut short); save it as UTF-8",
                source: source)
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - skip) / 2)
        var index = skip
        while index + 1 < bytes.count {
            let high = UInt16(bytes[bigEndian ? index : index + 1])
            let low = UInt16(bytes[bigEndian ? index + 1 : index])
            units.append(high << 8 | low)
            index += 2
        }
        var output: [UInt8] = []
        output.reserveCapacity(units.count)
        var failedAt: Int?
        var decoder = UTF16()
        var iterator = units.makeIterator()
        var position = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                position += scalar.value > 0xFFFF ? 2 : 1
                UTF8.encode(scalar) { output.append($0) }
            case .emptyInput:
                break loop
            case .error:
                failedAt = position
                break loop
            }
        }
        if let failedAt {
            throw DataError(
                "is not valid \(encoding) text (an unpaired surrogate at byte \(skip + failedAt * 2)); save the file as UTF-8",
                source: source)
        }
        return output
    }
}
