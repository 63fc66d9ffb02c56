import ChurnML

/// An uploaded CSV file read with ChurnML's reader (the one the trainer and registry use), so the
/// batch page accepts exactly the files training accepts. The reader's located ``DataError`` becomes
/// a 400 ``GatewayError`` naming the line and column.
enum UploadedTable {
    /// Reads `bytes` (named `source` in messages); more than `maxRows` data rows is a 413.
    static func read(_ bytes: [UInt8], source: String, maxRows: Int) throws -> Table {
        let table: Table
        do {
            table = try CSVReader.parse(bytes, source: source)
        } catch let error as DataError {
            throw problem(error)
        }
        guard table.rowCount <= maxRows else {
            throw GatewayError(
                status: .contentTooLarge, code: "too_many_rows",
                message: "the file has \(table.rowCount) rows, more than \(maxRows)",
                fields: [FieldError(field: "file", message: "at most \(maxRows) rows per upload")])
        }
        return table
    }

    /// A 400 for a reader error: the message is the reader's own (`source:line: column "C": "value" reason`);
    /// the field is `line N` (or `file` when no line is known), with the column when one is named.
    static func problem(_ error: DataError) -> GatewayError {
        var detail = error.reason
        if let value = error.value { detail = "\"\(RowEncoder.short(Substring(value)))\" \(detail)" }
        let field = FieldError(field: error.line.map { "line \($0)" } ?? "file", column: error.column, message: detail)
        return GatewayError.invalidInput(error.description, fields: [field])
    }
}
