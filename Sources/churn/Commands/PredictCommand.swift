import ArgumentParser
import ChurnML
import Foundation

/// `churn predict`: churn probability for one customer (`--row`) or a file of customers (`--input`).
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict churn for one customer (--row JSON) or for every row of a CSV file (--input).")

    @Argument(help: "The model bundle.")
    var model: String

    @Option(help: ArgumentHelp("One customer as a JSON object, e.g. '{\"CreditScore\":619,\"Geography\":\"France\",...}'.", valueName: "json"))
    var row: String?

    @Option(help: "A CSV file of customers (extra columns such as ids or the target are ignored).")
    var input: String?

    @Option(help: "What to do with categories unseen in training: zeros (default of the model) or error.")
    var unseen: UnseenCategoryPolicy?

    @Option(help: ArgumentHelp("Show the K columns that pushed each probability most (gradient × input).", valueName: "K"))
    var explain: Int?

    @Flag(help: "Print the predictions as JSON.")
    var json = false

    func validate() throws {
        guard (row == nil) != (input == nil) else { throw ValidationError("give exactly one of --row or --input") }
        if let explain, explain < 1 { throw ValidationError("--explain must be at least 1") }
    }

    func run() throws {
        let bundle = try ModelBundle.load(path: model)
        let table = try row.map { try JSONRow.table(from: $0, source: "--row") } ?? CSVReader.read(contentsOf: input ?? "")
        let predictions: Predictions
        var factors: [[Factor]]?
        if let explain {
            (predictions, factors) = try bundle.explain(table, top: explain, policy: unseen)
        } else {
            predictions = try bundle.predict(table, policy: unseen)
        }
        if json {
            try JSONOutput.print(PredictOutput(bundle: bundle, table: table, predictions: predictions, factors: factors))
            return
        }
        for index in 0..<table.rowCount {
            let probability = ProgressBar.format(Double(predictions.probabilities[index]))
            let verdict = predictions.labels[index] ? "churn" : "stay"
            let prefix = table.rowCount == 1 ? "" : "line \(table.lineNumbers[index]): "
            print("\(prefix)probability \(probability)  →  \(verdict)")
            for factor in factors?[index] ?? [] {
                let sign = factor.contribution >= 0 ? "+" : "−"
                print("    \(sign)\(ProgressBar.format(abs(factor.contribution)))  \(factor.column)")
            }
        }
        for warning in predictions.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
    }
}

/// The JSON that `churn predict --json` prints.
struct PredictOutput: Encodable {
    struct Row: Encodable {
        var line: Int
        var probability: Float
        var label: Int
        var factors: [Factor]?
    }

    var threshold: Double
    var predictions: [Row]
    var warnings: [EncodingWarning]

    init(bundle: ModelBundle, table: Table, predictions: Predictions, factors: [[Factor]]?) {
        threshold = bundle.threshold
        self.predictions = (0..<table.rowCount).map {
            Row(line: table.lineNumbers[$0], probability: predictions.probabilities[$0], label: predictions.labels[$0] ? 1 : 0,
                factors: factors?[$0])
        }
        warnings = predictions.warnings
    }
}
