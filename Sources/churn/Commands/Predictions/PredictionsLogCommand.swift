import ArgumentParser
import ChurnML
import Foundation
import Predictor
import Wire

/// `churn predictions log DIR`: every logged row, oldest first — as a table, or as JSON lines
/// with the inputs — then how many entries and segments were read, and where a segment stopped
/// being readable (a record cut short by a crash).
struct PredictionsLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List the rows of a prediction log directory, oldest first.",
        discussion: """
            Each logged Predict is one entry (one request id) of one or more rows. The table shows the \
            time, request id, model@version, row, churn probability and label; --json prints one JSON \
            object per row, with the inputs as sent (columns left out by --log-exclude are absent). A \
            segment whose last record was cut short by a crash is read up to that record, and the place \
            is reported on standard error; the command then exits 1.
            """
    )

    @Argument(help: "The log directory (the predictor's --log-dir).")
    var directory: String

    @Flag(name: .long, help: "One JSON object per row (with the inputs) instead of the table.")
    var json = false

    @Option(name: .long, help: "Show at most this many of the newest rows (default: all).")
    var last: Int?

    func validate() throws {
        if let last, last < 1 { throw ValidationError("--last must be at least 1") }
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ValidationError("no prediction log at '\(directory)': the directory does not exist")
        }
        var rows: [Row] = []
        var undecodable = 0
        let report = try PredictionLogReader(directory: directory).read { entry in
            guard let prediction = try? LoggedPrediction(entry) else {
                undecodable += 1
                return
            }
            for row in 0..<prediction.rowCount { rows.append(Row(prediction: prediction, row: row)) }
            if let last, rows.count > 2 * last { rows.removeFirst(rows.count - last) }
        }
        if let last, rows.count > last { rows.removeFirst(rows.count - last) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(
                positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            for row in rows { print(String(decoding: try encoder.encode(row.json), as: UTF8.self)) }
        } else {
            var table = TextTable(headings: ["TIME", "REQUEST", "MODEL", "ROW", "PROBABILITY", "LABEL"])
            for row in rows {
                table.rows.append([
                    Timestamp.iso8601(millis: row.prediction.timeMillis), row.json.requestID,
                    "\(row.prediction.model)@\(row.prediction.version)", "\(row.row)",
                    String(format: "%.4f", row.json.probability), row.json.label ? "1" : "0",
                ])
            }
            print(table.render())
            print("\(report.entries) entries in \(report.segments) segments")
        }
        var problems = report.damage.map { "error: \($0)" }
        if undecodable > 0 { problems.append("error: \(undecodable) entries are not Predict request/response pairs") }
        for problem in problems { FileHandle.standardError.write(Data((problem + "\n").utf8)) }
        if !problems.isEmpty { throw ExitCode(1) }
    }

    /// One row of one logged prediction.
    private struct Row {
        let prediction: LoggedPrediction
        let row: Int

        var json: JSONRow {
            var inputs: [String: JSONValue] = [:]
            for column in prediction.columns {
                switch column.values {
                case .numbers(let values): inputs[column.name] = values[row].map { .number(JSONNumber($0)) } ?? .null
                case .texts(let values): inputs[column.name] = values[row].map(JSONValue.string) ?? .null
                }
            }
            return JSONRow(
                requestID: PredictionLogEntry.hex(prediction.requestID),
                time: Timestamp.iso8601(millis: prediction.timeMillis),
                model: prediction.model, version: prediction.version, row: row,
                probability: Double(prediction.probabilities[row]), label: prediction.labels[row], inputs: inputs)
        }
    }

    /// A row as JSON.
    private struct JSONRow: Encodable {
        let requestID: String
        let time: String
        let model: String
        let version: String
        let row: Int
        let probability: Double
        let label: Bool
        let inputs: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id"
            case time, model, version, row, probability, label, inputs
        }
    }
}
