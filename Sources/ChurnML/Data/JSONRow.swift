import Foundation

/// One customer given as a JSON object (`{"CreditScore": 619, "Geography": "France", …}`),
/// turned into a one-row `Table` so that it goes through exactly the same typing and checks as CSV.
public enum JSONRow {
    /// Parses `text` as a flat JSON object of column → number | string | bool | null.
    ///
    /// - Parameter source: how the row is named in error messages (e.g. `--row`).
    public static func table(from text: String, source: String) throws -> Table {
        try table(fromRows: [text], source: source)
    }

    /// Parses several JSON objects (one per row) into one table; every row must have the same keys.
    public static func table(fromRows texts: [String], source: String) throws -> Table {
        var names: [String] = []
        var rows: [[String?]] = []
        for (index, text) in texts.enumerated() {
            let object: [String: JSONScalar]
            do {
                object = try JSONDecoder().decode([String: JSONScalar].self, from: Data(text.utf8))
            } catch {
                throw DataError("is not a flat JSON object of column to number, string, true/false or null", source: source, line: texts.count > 1 ? index + 1 : nil, value: text)
            }
            if index == 0 {
                names = object.keys.sorted()
            } else if object.keys.sorted() != names {
                throw DataError("has different fields than the first row", source: source, line: index + 1)
            }
            rows.append(names.map { object[$0]?.text })
        }
        guard !names.isEmpty else { throw DataError("has no fields", source: source) }
        return try Table(source: source, columnNames: names, rows: rows)
    }
}

/// A JSON scalar as a table cell.
enum JSONScalar: Decodable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// The cell text: numbers as people write them, booleans as true/false, null as missing.
    var text: String? {
        switch self {
        case .number(let value): ColumnData.format(value)
        case .string(let value): value
        case .bool(let value): value ? "true" : "false"
        case .null: nil
        }
    }
}
