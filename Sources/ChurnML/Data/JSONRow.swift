/// One customer given as a JSON object (`{"CreditScore": 619, "Geography": "France", …}`),
/// turned into a one-row `Table` so that it goes through exactly the same typing and checks as CSV.
/// The text is read by the strict ``JSONParser``, so a key given twice is an error naming it.
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
            let line = texts.count > 1 ? index + 1 : nil
            let object = try flatObject(text, source: source, line: line)
            let keys = object.keys.sorted()
            if index == 0 {
                names = keys
            } else if keys != names {
                throw DataError("has different fields than the first row", source: source, line: index + 1)
            }
            rows.append(names.map { object[$0] ?? nil })
        }
        guard !names.isEmpty else { throw DataError("has no fields", source: source) }
        return try Table(source: source, columnNames: names, rows: rows)
    }

    /// The cells of one flat JSON object: numbers as people write them, booleans as true/false,
    /// null as missing.
    private static func flatObject(_ text: String, source: String, line: Int?) throws -> [String: String?] {
        let notFlat = DataError(
            "is not a flat JSON object of column to number, string, true/false or null", source: source, line: line,
            value: text)
        let parsed: JSONValue
        do throws(JSONParser.SyntaxError) {
            parsed = try JSONParser.parse(Array(text.utf8))
        } catch {
            guard let key = error.duplicateKey else { throw notFlat }
            throw DataError("has the key \"\(key)\" twice", source: source, line: line, value: text)
        }
        guard case .object(let object) = parsed else { throw notFlat }
        var cells: [String: String?] = [:]
        for (key, value) in object.members {
            switch value {
            case .number(let number): cells[key] = .some(ColumnData.format(number.double))
            case .string(let string): cells[key] = .some(string)
            case .bool(let bool): cells[key] = .some(bool ? "true" : "false")
            case .null: cells[key] = .some(nil)
            case .array, .object: throw notFlat
            }
        }
        return cells
    }
}
