/// Finds a CSV file's delimiter among `,` `;` tab and `|` from its header and first rows.
///
/// For each candidate the header and up to ``sampleRecords`` following records are split the RFC 4180
/// way (a delimiter or line break inside quotes does not count). A candidate qualifies when it splits
/// the header into at least two fields; among those, the one for which the most sampled records have
/// exactly the header's field count wins, then the one giving more fields, then the earlier in
/// ``CSVDialect/delimiters`` order. When no candidate splits the header, the file has one column and
/// the comma is used.
///
/// The decimal comma of a `;` file cannot fool it: commas in numbers vary from row to row and the
/// header has none, so the comma does not split the header into the rows' field count.
enum DelimiterDetector {
    /// Records sampled after the header.
    static let sampleRecords = 50
    /// Bytes looked at, at most.
    static let sampleBytes = 1 << 20

    /// The delimiter of `bytes` (UTF-8, possibly starting with a byte-order mark).
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var best: (delimiter: UInt8, matching: Int, fields: Int)?
        for candidate in CSVDialect.delimiters {
            let counts = fieldCounts(bytes, delimiter: candidate)
            guard let header = counts.first, header >= 2 else { continue }
            let matching = counts.dropFirst().filter { $0 == header }.count
            if let current = best, (matching, header) <= (current.matching, current.fields) { continue }
            best = (candidate, matching, header)
        }
        return best?.delimiter ?? 0x2C
    }

    /// The field count of the header and of the sampled records after it, blank lines skipped.
    static func fieldCounts(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> [Int] {
        let quote: UInt8 = 0x22
        let lineFeed: UInt8 = 0x0A
        let carriageReturn: UInt8 = 0x0D
        let end = min(bytes.count, sampleBytes)
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var counts: [Int] = []
        var fields = 1
        var inQuotes = false
        var recordHasContent = false
        while index < end, counts.count <= sampleRecords {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == quote { inQuotes = false }
                continue
            }
            switch byte {
            case quote:
                inQuotes = true
                recordHasContent = true
            case delimiter:
                fields += 1
                recordHasContent = true
            case lineFeed, carriageReturn:
                if recordHasContent { counts.append(fields) }
                fields = 1
                recordHasContent = false
            default:
                recordHasContent = true
            }
        }
        // A last record cut by the sample's end is not counted; one ended by the file's end is.
        if recordHasContent, index == bytes.count, !inQuotes { counts.append(fields) }
        return counts
    }
}
