import Foundation
import Histogram

/// Counters and latencies of one load connection (merged across connections).
package struct ChaosLoadTally: Sendable {
    /// Answered requests: all, single-row, batch.
    package var requests = 0, single = 0, batch = 0
    /// Failures outside and inside the outage window, reopened connections, wrong answers.
    package var errors = 0, outageErrors = 0, reconnects = 0, mismatches = 0
    /// The first few failures outside the outage, for the report.
    package var firstErrors: [String] = []
    /// Model versions that answered.
    package var versions: Set<String> = []
    /// Round-trip times in nanoseconds.
    package var latencies = Histogram<UInt64>(
        highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    /// An empty tally.
    package init() {}

    /// Adds `other` into this tally.
    package mutating func merge(_ other: ChaosLoadTally) {
        requests += other.requests
        single += other.single
        batch += other.batch
        errors += other.errors
        outageErrors += other.outageErrors
        reconnects += other.reconnects
        mismatches += other.mismatches
        firstErrors += other.firstErrors.prefix(max(0, 5 - firstErrors.count))
        versions.formUnion(other.versions)
        latencies.add(other.latencies)
    }

    /// Records a failure, in the outage count while `inOutage`.
    package mutating func fail(_ message: String, inOutage: Bool) {
        if inOutage {
            outageErrors += 1
        } else {
            errors += 1
            if firstErrors.count < 5 { firstErrors.append(message) }
        }
    }

    /// The JSON summary line.
    package func summary(connections: Int, seconds: Double) -> String {
        func micros(_ percentile: Double) -> String {
            String(format: "%.1f", Double(latencies.valueAtPercentile(percentile)) / 1000)
        }
        return ChaosSupport.json([
            ("connections", "\(connections)"), ("seconds", String(format: "%.2f", seconds)),
            ("requests", "\(requests)"), ("single_row", "\(single)"), ("batch", "\(batch)"),
            ("requests_per_second", String(format: "%.1f", Double(requests) / max(seconds, 0.001))),
            ("errors", "\(errors)"), ("outage_errors", "\(outageErrors)"), ("reconnects", "\(reconnects)"),
            ("mismatches", "\(mismatches)"),
            ("versions_seen", "[" + versions.sorted().map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
            ("p50_us", micros(50)), ("p99_us", micros(99)), ("p999_us", micros(99.9)),
            ("max_us", String(format: "%.1f", Double(latencies.max) / 1000)),
            ("first_errors", "[" + firstErrors.map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
        ])
    }
}
