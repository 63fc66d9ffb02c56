import ChurnML
import Wire

/// Turns the columns of a Predict request into a `Table`, checking what the wire format alone
/// cannot: at least one row, unique names, equal lengths, finite numbers (wire.md §13.2).
enum PredictInputTable {
    /// The source name used in `DataError`s about request values.
    static let source = "request"

    /// A table of `columns` (row `i` gets line number `i + 1`), or the error to answer.
    static func make(_ columns: [PredictColumn]) -> Result<Table, ErrorMessage> {
        guard let first = columns.first, first.count > 0 else {
            return .failure(
                ErrorMessage(
                    code: .invalidRequest, message: "a Predict request needs at least one column and one row",
                    field: "columns"))
        }
        let rows = first.count
        var seen = Set<String>()
        var data: [ColumnData] = []
        data.reserveCapacity(columns.count)
        for column in columns {
            guard seen.insert(column.name).inserted else {
                return .failure(
                    ErrorMessage(
                        code: .invalidRequest, message: "column \"\(column.name)\" appears twice", field: column.name))
            }
            guard column.count == rows else {
                return .failure(
                    ErrorMessage(
                        code: .invalidRequest,
                        message:
                            "column \"\(column.name)\" has \(column.count) values, column \"\(first.name)\" has \(rows)",
                        field: column.name))
            }
            switch column.values {
            case .numbers(let numbers):
                if let row = numbers.firstIndex(where: { $0.map { !$0.isFinite } ?? false }) {
                    return .failure(
                        ErrorMessage(
                            code: .invalidRequest,
                            message:
                                "row \(row), column \"\(column.name)\": \(numbers[row] ?? 0) is not a finite number",
                            field: "\(column.name)[\(row)]"))
                }
                data.append(.numeric(numbers))
            case .texts(let texts):
                data.append(.text(texts))
            }
        }
        return .success(
            Table(
                source: source, columnNames: columns.map(\.name), columns: data, lineNumbers: Array(1...rows)))
    }

    /// The wire error for a `DataError` raised while encoding request rows: `invalidRequest` with
    /// field `Column[row]` (0-based row) or `Column`.
    static func error(_ error: DataError) -> ErrorMessage {
        let row = error.line.map { $0 - 1 }
        var message = ""
        if let row { message += "row \(row), " }
        if let column = error.column { message += "column \"\(column)\": " }
        if let value = error.value {
            message += "\"\(value.count <= 200 ? value : String(value.prefix(197)) + "...")\" "
        }
        message += error.reason
        let field = error.column.map { column in row.map { "\(column)[\($0)]" } ?? column }
        return ErrorMessage(code: .invalidRequest, message: message, field: field)
    }
}
