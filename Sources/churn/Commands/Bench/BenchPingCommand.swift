import ArgumentParser
import Foundation
import Histogram
import ServiceKit
import Wire

/// `churn bench ping`: Ping throughput and latency against any Churn server, measured like
/// `redis-benchmark -c N -P 1` (N connections, one request in flight each).
struct BenchPingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Measure Ping requests/s and p50/p99 latency against a running server."
    )

    @Option(name: .long, help: "Server address, HOST:PORT.")
    var addr: String = "127.0.0.1:7409"

    @Option(name: .long, help: "Connections, each with one Ping in flight.")
    var concurrency: Int = 1

    @Option(name: .long, help: "Total Pings to send.")
    var requests: Int = 100_000

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
        guard concurrency >= 1, requests >= concurrency, threads >= 1 else {
            throw ValidationError("need --concurrency ≥ 1, --requests ≥ --concurrency, --threads ≥ 1")
        }
        let token = self.token ?? ProcessInfo.processInfo.environment["CHURN_TOKEN"]
        let result = try await PingBenchmark.run(
            host: address.host, port: address.port, concurrency: concurrency, requests: requests, threads: threads,
            token: token)
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        for latency in result.latenciesNanoseconds {
            _ = histogram.record(max(1, latency))
        }
        let micro = { (percentile: Double) -> Double in Double(histogram.valueAtPercentile(percentile)) / 1000 }
        let seconds = Double(result.elapsedNanoseconds) / 1e9
        if json {
            let fields: [(String, String)] = [
                ("addr", "\"\(address)\""), ("concurrency", "\(concurrency)"), ("requests", "\(result.requests)"),
                ("seconds", format(seconds, 4)), ("requests_per_second", format(result.requestsPerSecond, 1)),
                ("p50_us", format(micro(50), 1)), ("p99_us", format(micro(99), 1)),
                ("p999_us", format(micro(99.9), 1)), ("max_us", format(Double(histogram.max) / 1000, 1)),
            ]
            print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            print("ping \(address): \(result.requests) requests, concurrency \(concurrency), \(format(seconds, 3)) s")
            print("  requests/s: \(format(result.requestsPerSecond, 0))")
            print("  latency µs: p50 \(format(micro(50), 1))  p99 \(format(micro(99), 1))  p99.9 \(format(micro(99.9), 1))  max \(format(Double(histogram.max) / 1000, 1))")
        }
    }

    private func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
