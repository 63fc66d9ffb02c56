import ArgumentParser
import Foundation
import Histogram
import Predictor
import ServiceKit

/// `churn bench predict`: Predict throughput and latency against a running predictor, measured like
/// `redis-benchmark -c N -P 1` (N connections, one request in flight each), with rows/s for batches.
struct BenchPredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Measure Predict requests/s, rows/s and p50/p99/p99.9 latency against a running predictor.",
        discussion: "Rows are synthesised from the model's ModelInfo (numbers across each column's training range, categories cycled).")

    @Option(name: [.long, .customLong("predictor")], help: "Predictor address, HOST:PORT.")
    var addr: String = "127.0.0.1:7402"

    @Option(name: .long, help: "Connections, each with one Predict in flight.")
    var concurrency: Int = 1

    @Option(name: .long, help: "Total Predict requests to send.")
    var requests: Int = 100_000

    @Option(name: .long, help: "Rows per request.")
    var rows: Int = 1

    @Option(name: .long, help: "Factors per row to ask for (0: no explanations).")
    var explain: Int = 0

    @Option(name: .long, help: "Client event-loop threads.")
    var threads: Int = 1

    @Option(name: .long, help: "Token for Hello (else CHURN_TOKEN, else none).")
    var token: String?

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        guard let address = ListenAddress(parsing: addr) else {
            throw ValidationError("--addr '\(addr)' is not HOST:PORT")
        }
        guard concurrency >= 1, requests >= concurrency, threads >= 1, rows >= 1, explain >= 0 else {
            throw ValidationError("need --concurrency ≥ 1, --requests ≥ --concurrency, --threads ≥ 1, --rows ≥ 1, --explain ≥ 0")
        }
        let token = self.token ?? ProcessInfo.processInfo.environment["CHURN_TOKEN"]
        let result = try await PredictBenchmark.run(
            host: address.host, port: address.port, concurrency: concurrency, requests: requests, rows: rows,
            explain: explain, threads: threads, token: token)
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for latency in result.latenciesNanoseconds {
            _ = histogram.record(max(1, latency))
        }
        let micro = { (percentile: Double) -> Double in Double(histogram.valueAtPercentile(percentile)) / 1000 }
        let seconds = Double(result.elapsedNanoseconds) / 1e9
        if json {
            let fields: [(String, String)] = [
                ("addr", "\"\(address)\""), ("concurrency", "\(concurrency)"), ("requests", "\(result.requests)"),
                ("rows", "\(rows)"), ("explain", "\(explain)"), ("seconds", format(seconds, 4)),
                ("requests_per_second", format(result.requestsPerSecond, 1)),
                ("rows_per_second", format(result.rowsPerSecond, 1)),
                ("p50_us", format(micro(50), 1)), ("p99_us", format(micro(99), 1)),
                ("p999_us", format(micro(99.9), 1)), ("max_us", format(Double(histogram.max) / 1000, 1)),
            ]
            print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            print("predict \(address): \(result.requests) requests × \(rows) rows, concurrency \(concurrency), \(format(seconds, 3)) s")
            print("  requests/s: \(format(result.requestsPerSecond, 0))   rows/s: \(format(result.rowsPerSecond, 0))")
            print("  latency µs: p50 \(format(micro(50), 1))  p99 \(format(micro(99), 1))  p99.9 \(format(micro(99.9), 1))  max \(format(Double(histogram.max) / 1000, 1))")
        }
    }

    private func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
