import ArgumentParser
import ChurnLoad
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

    @OptionGroup var load: LoadOptions

    func run() async throws {
        guard let address = ListenAddress(parsing: addr) else {
            throw ValidationError("--addr '\(addr)' is not HOST:PORT")
        }
        guard load.concurrency >= 1, load.requests >= load.concurrency, load.threads >= 1 else {
            throw ValidationError("need --concurrency ≥ 1, --requests ≥ --concurrency, --threads ≥ 1")
        }
        let result = try await PingBenchmark.run(
            host: address.host, port: address.port, concurrency: load.concurrency, requests: load.requests,
            threads: load.threads, token: load.resolvedToken)
        let latency = LatencySummary(nanoseconds: result.latenciesNanoseconds)
        let seconds = Double(result.elapsedNanoseconds) / 1e9
        let format = LatencySummary.format
        if load.json {
            print(
                LatencySummary.jsonObject(
                    [
                        ("addr", "\"\(address)\""), ("concurrency", "\(load.concurrency)"),
                        ("requests", "\(result.requests)"),
                        ("seconds", format(seconds, 4)), ("requests_per_second", format(result.requestsPerSecond, 1)),
                    ] + latency.jsonFields))
        } else {
            print(
                "ping \(address): \(result.requests) requests, concurrency \(load.concurrency), \(format(seconds, 3)) s"
            )
            print("  requests/s: \(format(result.requestsPerSecond, 0))")
            print(latency.line)
        }
    }
}
