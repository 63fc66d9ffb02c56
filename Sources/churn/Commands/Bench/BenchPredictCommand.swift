import ArgumentParser
import ChurnLoad
import Foundation
import Histogram
import ServiceKit
import Wire

/// `churn bench predict`: Predict throughput and latency against a running predictor, measured like
/// `redis-benchmark -c N -P 1` (N connections, one request in flight each), with rows/s for batches.
struct BenchPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Measure Predict requests/s, rows/s and p50/p99/p99.9 latency against a running predictor.",
        discussion:
            "Rows are synthesised from the model's ModelInfo (numbers across each column's training range, categories cycled)."
    )

    @Option(name: [.long, .customLong("predictor")], help: "Predictor address, HOST:PORT.")
    var addr: String = "127.0.0.1:7402"

    @OptionGroup var load: LoadOptions

    @Option(name: .long, help: "Rows per request.")
    var rows: Int = 1

    @Option(name: .long, help: "Factors per row to ask for (0: no explanations).")
    var explain: Int = 0

    func run() async throws {
        guard let address = ListenAddress(parsing: addr) else {
            throw ValidationError("--addr '\(addr)' is not HOST:PORT")
        }
        guard load.concurrency >= 1, load.requests >= load.concurrency, load.threads >= 1, rows >= 1, explain >= 0
        else {
            throw ValidationError(
                "need --concurrency ≥ 1, --requests ≥ --concurrency, --threads ≥ 1, --rows ≥ 1, --explain ≥ 0")
        }
        let result = try await PredictBenchmark.run(
            host: address.host, port: address.port, concurrency: load.concurrency, requests: load.requests, rows: rows,
            explain: explain, threads: load.threads, token: load.resolvedToken)
        let latency = LatencySummary(nanoseconds: result.latenciesNanoseconds)
        let seconds = Double(result.elapsedNanoseconds) / 1e9
        let format = LatencySummary.format
        if load.json {
            print(
                LatencySummary.jsonObject(
                    [
                        ("addr", "\"\(address)\""), ("concurrency", "\(load.concurrency)"),
                        ("requests", "\(result.requests)"),
                        ("rows", "\(rows)"), ("explain", "\(explain)"), ("seconds", format(seconds, 4)),
                        ("requests_per_second", format(result.requestsPerSecond, 1)),
                        ("rows_per_second", format(result.rowsPerSecond, 1)),
                    ] + latency.jsonFields))
        } else {
            print(
                "predict \(address): \(result.requests) requests × \(rows) rows, concurrency \(load.concurrency), \(format(seconds, 3)) s"
            )
            print("  requests/s: \(format(result.requestsPerSecond, 0))   rows/s: \(format(result.rowsPerSecond, 0))")
            print(latency.line)
        }
    }
}
