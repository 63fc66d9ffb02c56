import ArgumentParser
import Foundation
import Histogram
import Predictor
import Wire

/// `churn chaos load`: N connections issue Predicts closed-loop (every fourth request 100 rows,
/// the others one row) for a fixed time. A connection that is lost is reopened (counted as a
/// reconnect). Errors while the outage file exists are the killed predictor's own and are counted
/// apart; every other error fails the run. Each answer is also checked: the right number of
/// probabilities, all in [0, 1], and the same bits as the first answer of the same model version
/// to the same rows.
struct ChaosLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Closed-loop Predict load with reconnects; prints one JSON line.")

    @Option(name: .long, help: "Predictor address, HOST:PORT.") var predictor: String = "127.0.0.1:7402"
    @Option(name: .long, help: "Connections.") var connections: Int = 64
    @Option(name: .long, help: "Seconds to run.") var seconds: Double = 10
    @Option(name: .long, help: "Rows of the batch requests.") var batchRows: Int = 100
    @Option(name: .long, help: "While this file exists, errors are counted as outage errors (a predictor was killed).")
    var outageFile: String?
    @Option(name: .long, help: "File holding the token (else CHURN_TOKEN).") var tokenFile: String?

    func run() async throws {
        guard connections >= 1, seconds > 0, batchRows >= 1 else {
            throw ValidationError("need --connections ≥ 1, --seconds > 0, --batch-rows ≥ 1")
        }
        let address = try ChaosSupport.address(predictor, flag: "predictor")
        let token = try ChaosSupport.token(file: tokenFile)
        let configuration = ChaosSupport.configuration(name: "load", token: token)
        let info: ModelInfoResponse
        do {
            let client = try await PredictorClient.connect(host: address.host, port: address.port, configuration: configuration)
            info = try await client.modelInfo()
            await client.close()
        } catch {
            ChaosSupport.emit("error: cannot read the predictor's ModelInfo at \(address): \(error)")
            throw ExitCode(1)
        }
        let requests = [
            PredictBenchmarkRows.columns(for: info, rows: 1, seed: 1),
            PredictBenchmarkRows.columns(for: info, rows: batchRows, seed: 2),
        ]
        let deadline = Date().addingTimeInterval(seconds)
        let start = Date()
        let outage = outageFile
        let tallies = await withTaskGroup(of: ChaosLoadTally.self) { group in
            for index in 0..<connections {
                group.addTask {
                    await ChaosLoadWorker(
                        index: index, host: address.host, port: address.port, configuration: configuration,
                        requests: requests, deadline: deadline, outageFile: outage
                    ).run()
                }
            }
            var total = ChaosLoadTally()
            for await tally in group { total.merge(tally) }
            return total
        }
        let elapsed = Date().timeIntervalSince(start)
        print(tallies.summary(connections: connections, seconds: elapsed))
        if tallies.errors > 0 || tallies.mismatches > 0 || tallies.requests == 0 { throw ExitCode(1) }
    }
}

/// Counters and latencies of one load connection (merged across connections).
struct ChaosLoadTally: Sendable {
    /// Answered requests: all, single-row, batch.
    var requests = 0, single = 0, batch = 0
    /// Failures outside and inside the outage window, reopened connections, wrong answers.
    var errors = 0, outageErrors = 0, reconnects = 0, mismatches = 0
    /// The first few failures outside the outage, for the report.
    var firstErrors: [String] = []
    /// Model versions that answered.
    var versions: Set<String> = []
    /// Round-trip times in nanoseconds.
    var latencies = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    /// Adds `other` into this tally.
    mutating func merge(_ other: ChaosLoadTally) {
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
    mutating func fail(_ message: String, inOutage: Bool) {
        if inOutage {
            outageErrors += 1
        } else {
            errors += 1
            if firstErrors.count < 5 { firstErrors.append(message) }
        }
    }

    /// The JSON summary line.
    func summary(connections: Int, seconds: Double) -> String {
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

/// One closed-loop connection of `churn chaos load`.
struct ChaosLoadWorker: Sendable {
    /// The connection's number (staggers the request mix).
    let index: Int
    /// Where and how to connect, and the single-row and batch requests.
    let host: String
    let port: Int
    let configuration: WireClientConfiguration
    let requests: [[PredictColumn]]
    /// When to stop.
    let deadline: Date
    /// While this file exists, errors count as outage errors.
    let outageFile: String?

    private var inOutage: Bool {
        guard let outageFile else { return false }
        return FileManager.default.fileExists(atPath: outageFile)
    }

    /// Runs until the deadline; returns the tally.
    func run() async -> ChaosLoadTally {
        var tally = ChaosLoadTally()
        var client: PredictorClient?
        var expected: [String: [Float]] = [:]
        var sequence = index
        while Date() < deadline {
            if client == nil {
                do {
                    client = try await PredictorClient.connect(host: host, port: port, configuration: configuration)
                } catch {
                    tally.fail("connect: \(error)", inOutage: inOutage)
                    try? await Task.sleep(nanoseconds: 50_000_000)
                    continue
                }
            }
            guard let connection = client else { continue }
            let kind = sequence % 4 == 3 ? 1 : 0
            sequence += 1
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                let response = try await connection.predict(requests[kind])
                let elapsed = DispatchTime.now().uptimeNanoseconds - started
                _ = tally.latencies.record(max(1, elapsed))
                tally.requests += 1
                if kind == 0 { tally.single += 1 } else { tally.batch += 1 }
                tally.versions.insert(response.version)
                let key = "\(response.version)/\(kind)"
                let valid = response.probabilities.allSatisfy { $0 >= 0 && $0 <= 1 }
                if !valid || (expected[key].map { $0 != response.probabilities } ?? false) {
                    tally.mismatches += 1
                    if tally.firstErrors.count < 5 {
                        tally.firstErrors.append("version \(response.version) answered different probabilities to the same rows")
                    }
                } else if expected[key] == nil {
                    expected[key] = response.probabilities
                }
            } catch {
                let outage = inOutage
                tally.fail("predict: \(error)", inOutage: outage)
                if ChaosSupport.isConnectionLoss(error) {
                    await connection.close()
                    client = nil
                    tally.reconnects += 1
                }
            }
        }
        await client?.close()
        return tally
    }
}
