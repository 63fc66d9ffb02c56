import ArgumentParser
import Foundation
import Histogram

/// Options shared by the closed-loop load commands (`bench ping`, `bench predict`).
struct LoadOptions: ParsableArguments {
    @Option(name: .long, help: "Connections, each with one request in flight.")
    var concurrency: Int = 1

    @Option(name: .long, help: "Total requests to send.")
    var requests: Int = 100_000

    @Option(name: .long, help: "Client event-loop threads.")
    var threads: Int = 1

    @Option(name: .long, help: "Token for Hello (else CHURN_TOKEN, else none).")
    var token: String?

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    /// `--token`, else `CHURN_TOKEN`, else nil.
    var resolvedToken: String? {
        token ?? ProcessInfo.processInfo.environment["CHURN_TOKEN"]
    }
}

/// Latency percentiles of a load run (HdrHistogram, 3 significant digits), in microseconds.
struct LatencySummary {
    private var histogram = Histogram<UInt64>(
        highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    /// Records every round trip (nanoseconds).
    init(nanoseconds latencies: [UInt64]) {
        for latency in latencies { _ = histogram.record(max(1, latency)) }
    }

    /// The latency at `percentile`, in microseconds.
    func micros(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }

    /// The largest latency, in microseconds.
    var maxMicros: Double { Double(histogram.max) / 1000 }

    /// The JSON fields `p50_us`, `p99_us`, `p999_us`, `max_us`.
    var jsonFields: [(String, String)] {
        [
            ("p50_us", Self.format(micros(50), 1)), ("p99_us", Self.format(micros(99), 1)),
            ("p999_us", Self.format(micros(99.9), 1)), ("max_us", Self.format(maxMicros, 1)),
        ]
    }

    /// The human line `latency µs: p50 … p99 … p99.9 … max …`.
    var line: String {
        "  latency µs: p50 \(Self.format(micros(50), 1))  p99 \(Self.format(micros(99), 1))  p99.9 \(Self.format(micros(99.9), 1))  max \(Self.format(maxMicros, 1))"
    }

    /// A number with `digits` decimals.
    static func format(_ value: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// One JSON object from already-encoded values, in the given order.
    static func jsonObject(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }
}
