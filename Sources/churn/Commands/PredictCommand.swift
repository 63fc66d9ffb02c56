import ArgumentParser
import ChurnClient
import ChurnML
import Foundation
import ServiceKit
import Wire

/// `churn predict`: churn probability for one customer (`--row`) or a file of customers (`--input`),
/// offline from a model bundle (MODEL) or over the wire from a running predictor (`--predictor`).
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict churn for one customer (--row JSON) or for every row of a CSV file (--input).",
        discussion:
            "Give exactly one of MODEL (score offline) or --predictor HOST:PORT[,HOST:PORT…] (ask running `churn serve predictor` replicas); both give bit-identical numbers for the same bundle."
    )

    @Argument(help: "The model bundle (omit with --predictor).")
    var model: String?

    @Option(
        help: ArgumentHelp(
            "A running predictor to ask instead of loading MODEL, or replicas to balance over (a replica that fails is left out and the request goes to another); a DNS name stands for every address it resolves to.",
            valueName: "host:port[,host:port…]"))
    var predictor: String?

    @Option(
        help: ArgumentHelp(
            "One customer as a JSON object, e.g. '{\"CreditScore\":619,\"Geography\":\"France\",...}'.",
            valueName: "json"))
    var row: String?

    @Option(help: "A CSV file of customers (extra columns such as ids or the target are ignored).")
    var input: String?

    @Option(help: "What to do with categories unseen in training: zeros (default of the model) or error.")
    var unseen: UnseenCategoryPolicy?

    @Option(
        help: ArgumentHelp(
            "Show the K columns that pushed each probability most (integrated gradients).", valueName: "K"))
    var explain: Int?

    @OptionGroup var csv: CSVOptions

    @Flag(help: "Print the predictions as JSON.")
    var json = false

    func validate() throws {
        guard (row == nil) != (input == nil) else { throw ValidationError("give exactly one of --row or --input") }
        guard (model == nil) != (predictor == nil) else {
            throw ValidationError("give exactly one of MODEL or --predictor")
        }
        if let explain, explain < 1 || explain > Int(UInt16.max) {
            throw ValidationError("--explain must be between 1 and 65535")
        }
        if let predictor {
            do {
                _ = try RoleEndpoints(parsing: predictor, role: "predictor")
            } catch {
                throw ValidationError("--predictor: \(error)")
            }
        }
    }

    func run() async throws {
        // Offline, the model is read first, so a bad model file is reported before bad rows.
        let bundle = try model.map { try ModelBundle.load(path: $0) }
        let table = try row.map { try JSONRow.table(from: $0, source: "--row") } ?? csv.read(input ?? "")
        let result: PredictResult
        if let bundle {
            if let explain {
                let (predictions, factors) = try bundle.explain(table, top: explain, policy: unseen)
                result = PredictResult(bundle.threshold, predictions, factors: factors)
            } else {
                result = PredictResult(bundle.threshold, try bundle.predict(table, policy: unseen), factors: nil)
            }
        } else if let predictor, let endpoints = try? RoleEndpoints(parsing: predictor, role: "predictor") {
            result = try await Self.remote(table, endpoints: endpoints, explain: explain, unseen: unseen)
        } else {
            throw ValidationError("give exactly one of MODEL or --predictor")
        }
        if json {
            try JSONOutput.print(PredictOutput(table: table, result: result))
            return
        }
        for index in 0..<table.rowCount {
            let probability = ProgressBar.format(Double(result.probabilities[index]))
            let verdict = result.labels[index] ? "churn" : "stay"
            let prefix = table.rowCount == 1 ? "" : "line \(table.lineNumbers[index]): "
            print("\(prefix)probability \(probability)  →  \(verdict)")
            for factor in result.factors?[index] ?? [] {
                let sign = factor.contribution >= 0 ? "+" : "−"
                print("    \(sign)\(ProgressBar.format(abs(factor.contribution)))  \(factor.column)")
            }
        }
        fflush(nil)  // flush standard output: the notes below go to standard error, after the predictions
        for warning in result.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        if let models = result.models {
            FileHandle.standardError.write(Data("answered by \(models.joined(separator: ", "))\n".utf8))
        }
    }

    /// Scores `table` on the predictor replicas `endpoints` (balanced; a failed replica is left out
    /// and the request sent to another), in requests of at most the server's `maxRows` rows.
    static func remote(
        _ table: Table, endpoints: RoleEndpoints, explain: Int?, unseen: UnseenCategoryPolicy?
    ) async throws -> PredictResult {
        let pool = WirePool(
            role: "predictor", endpoints: endpoints.all,
            configuration: WireClientConfiguration(
                clientName: "churn-predict", token: ProcessInfo.processInfo.environment["CHURN_TOKEN"]),
            connectionsPerReplica: 1)
        return try await withClosing {
            try await remote(table, pool: pool, explain: explain, unseen: unseen)
        } close: {
            await pool.close()
        }
    }

    /// ``remote(_:endpoints:explain:unseen:)`` over an open pool.
    private static func remote(
        _ table: Table, pool: WirePool, explain: Int?, unseen: UnseenCategoryPolicy?
    ) async throws -> PredictResult {
        let (chunk, info) = try await pool.run { client, _ in
            (max(1, Int(client.hello.maxRows)), try? await client.send(ModelInfoRequest()))
        }
        // Send only the model's columns (the server ignores the others anyway): fewer bytes, and the
        // server's allocation-free path takes requests made of model columns only.
        var table = table
        if let info {
            let fields = Set(info.fields.map(\.name))
            let keep = table.columnNames.indices.filter { fields.contains(table.columnNames[$0]) }
            if keep.count == fields.count, keep.count < table.columnNames.count {
                table = Table(
                    source: table.source, columnNames: keep.map { table.columnNames[$0] },
                    columns: keep.map { table.columns[$0] },
                    lineNumbers: table.lineNumbers)
            }
        }
        var batch = PredictBatch(merging: [])
        for range in PredictorClient.chunks(rows: table.rowCount, maxRows: chunk) {
            let part = range.count == table.rowCount ? table : table.rows(Array(range))
            let request = PredictRequest(
                table: part, explain: UInt16(explain ?? 0), unseen: PredictRequest.policy(unseen))
            batch.append(
                try await pool.run { client, _ in
                    try await PredictorClient(wire: client).predict(
                        request.columns, explain: Int(request.explain), unseen: request.unseen)
                })
        }
        return PredictResult(
            threshold: batch.threshold, probabilities: batch.probabilities, labels: batch.labels,
            warnings: batch.warnings.map {
                PredictResult.WarningOut(row: Int($0.row), column: $0.column, value: $0.value, message: $0.message)
            },
            factors: explain == nil ? nil : batch.factors, models: batch.models.map { "\($0.model) \($0.version)" })
    }
}

/// Predictions, offline or over the wire, plus where they came from.
struct PredictResult {
    /// A factor as printed (same JSON keys as ChurnML's `Factor`; the type the wire client merges
    /// remote answers into).
    typealias FactorOut = PredictBatch.NamedFactor

    /// An encoding warning as printed (same JSON keys as ChurnML's `EncodingWarning`).
    struct WarningOut: Encodable, CustomStringConvertible {
        /// 0-based row.
        var row: Int
        /// The column.
        var column: String
        /// The unseen value.
        var value: String
        /// What was done instead.
        var message: String
        /// `row R: column "C": "V" message` with a 1-based row, as ChurnML prints it.
        var description: String { "row \(row + 1): column \"\(column)\": \"\(value)\" \(message)" }
    }

    /// The model's threshold.
    var threshold: Double
    /// Churn probability per row.
    var probabilities: [Float]
    /// Label per row.
    var labels: [Bool]
    /// Values encoded with a fallback.
    var warnings: [WarningOut]
    /// Per-row factors when asked for.
    var factors: [[FactorOut]]?
    /// `name version` of the model(s) that answered (over the wire only).
    var models: [String]?

    /// A result from its parts.
    init(
        threshold: Double, probabilities: [Float], labels: [Bool], warnings: [WarningOut], factors: [[FactorOut]]?,
        models: [String]?
    ) {
        self.threshold = threshold
        self.probabilities = probabilities
        self.labels = labels
        self.warnings = warnings
        self.factors = factors
        self.models = models
    }

    /// An offline result.
    init(_ threshold: Double, _ predictions: Predictions, factors: [[Factor]]?) {
        self.init(
            threshold: threshold, probabilities: predictions.probabilities, labels: predictions.labels,
            warnings: predictions.warnings.map {
                WarningOut(row: $0.row, column: $0.column, value: $0.value, message: $0.message)
            },
            factors: factors?.map { $0.map { FactorOut(column: $0.column, contribution: $0.contribution) } },
            models: nil)
    }
}

/// The JSON that `churn predict --json` prints.
struct PredictOutput: Encodable {
    /// One scored row.
    struct Row: Encodable {
        /// The row's line in the input (1 for `--row`).
        var line: Int
        /// Churn probability.
        var probability: Float
        /// 1 when the probability reaches the threshold.
        var label: Int
        /// Factors when `--explain` was given.
        var factors: [PredictResult.FactorOut]?
    }

    /// The model's threshold.
    var threshold: Double
    /// One entry per input row.
    var predictions: [Row]
    /// Values encoded with a fallback.
    var warnings: [PredictResult.WarningOut]
    /// `name version` of the model that answered, when asked over the wire.
    var models: [String]?

    /// The output for `table` scored as `result`.
    init(table: Table, result: PredictResult) {
        threshold = result.threshold
        predictions = (0..<table.rowCount).map {
            Row(
                line: table.lineNumbers[$0], probability: result.probabilities[$0],
                label: result.labels[$0] ? 1 : 0, factors: result.factors?[$0])
        }
        warnings = result.warnings
        models = result.models
    }
}
