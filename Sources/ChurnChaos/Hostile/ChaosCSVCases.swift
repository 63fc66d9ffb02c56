/// Malformed and awkward CSV files for `churn-chaos hostile`: every malformation the CSV reader
/// reports (ChurnML's CSVReader, CSVScanner, HeaderValidator, column typing), plus an oversize row.
/// Built from a small valid table, so each file differs from a good one by one defect.
package enum ChaosCSVCases {
    /// One case: a name, the bytes, and whether training on it must fail.
    package struct Case: Sendable {
        /// Short name for the report.
        package var name: String
        /// The file.
        package var bytes: [UInt8]
        /// Whether a job on it must end `failed` (a parse or schema error); else any end is fine.
        package var mustFail: Bool
    }

    /// A valid small churn table: header plus `rows` rows.
    package static func valid(rows: Int = 40) -> [String] {
        var lines = ["CustomerId,Geography,Gender,Age,Balance,Exited"]
        for row in 0..<rows {
            // Ages and balances repeat, so schema inference keeps them as numeric features.
            lines.append(
                "\(15_000_000 + row),\(["France", "Spain", "Germany"][row % 3]),\(row % 2 == 0 ? "Male" : "Female"),\(20 + row % 7),\(row % 5 * 1000).5,\(row % 4 == 0 ? 1 : 0)"
            )
        }
        return lines
    }

    /// Every case.
    package static var all: [Case] {
        let good = valid()
        func text(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }
        func replacing(_ index: Int, with line: String) -> [UInt8] {
            var lines = good
            lines[index] = line
            return text(lines)
        }
        var badUTF8 = text(Array(good.prefix(5)))
        badUTF8 += [0x31, 0x2C, 0xC3, 0x28, 0x2C, 0x4D, 0x2C, 0x33, 0x30, 0x2C, 0x30, 0x2C, 0x31, 0x0A]
        let badHeader =
            Array("Cust".utf8) + [0xFF, 0xFE] + Array(",Geography,Gender,Age,Balance,Exited\n".utf8)
            + text(Array(good.dropFirst()))
        let huge = String(repeating: "x", count: 2 * 1024 * 1024)
        return [
            Case(name: "empty", bytes: [], mustFail: true),
            Case(name: "blank-lines-only", bytes: Array("\n\r\n\n".utf8), mustFail: true),
            Case(name: "header-only", bytes: text([good[0]]), mustFail: true),
            Case(
                name: "empty-header-name", bytes: replacing(0, with: "CustomerId,,Gender,Age,Balance,Exited"),
                mustFail: true),
            Case(
                name: "duplicate-header", bytes: replacing(0, with: "CustomerId,Geography,Gender,Age,Age,Exited"),
                mustFail: true),
            Case(name: "unclosed-quote", bytes: replacing(3, with: "15000002,\"France,Male,22,2000,0"), mustFail: true),
            Case(
                name: "text-after-quote", bytes: replacing(3, with: "15000002,\"France\"x,Male,22,2000,0"),
                mustFail: true),
            Case(name: "too-few-fields", bytes: replacing(4, with: "15000003,Spain,Male,23"), mustFail: true),
            Case(
                name: "too-many-fields", bytes: replacing(4, with: "15000003,Spain,Male,23,3000,0,extra"),
                mustFail: true),
            Case(name: "invalid-utf8-field", bytes: badUTF8 + text(Array(good.dropFirst(6))), mustFail: true),
            Case(name: "invalid-utf8-header", bytes: badHeader, mustFail: true),
            Case(
                name: "third-target-value", bytes: replacing(5, with: "15000004,Germany,Male,24,4000,2"), mustFail: true
            ),
            Case(name: "nul-byte", bytes: replacing(6, with: "15000005,Fr\u{0}ance,Male,25,5000,0"), mustFail: false),
            Case(
                name: "infinite-number", bytes: replacing(7, with: "15000006,France,Male,1e999,1000.5,0"),
                mustFail: false),
            Case(
                name: "oversize-row-2MB", bytes: replacing(8, with: "15000007,\(huge),Male,27,7000,0"), mustFail: false),
            Case(name: "only-header-row-with-bom", bytes: [0xEF, 0xBB, 0xBF] + text([good[0]]), mustFail: true),
            Case(name: "cr-only-line-ends", bytes: Array(good.joined(separator: "\r").utf8), mustFail: false),
        ]
    }
}
