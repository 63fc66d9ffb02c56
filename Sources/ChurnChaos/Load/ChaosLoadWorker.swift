import Foundation
import Wire

/// One closed-loop connection of `churn-chaos load`.
package struct ChaosLoadWorker: Sendable {
    /// The connection's number (staggers the request mix).
    package let index: Int
    /// Where and how to connect, and the single-row and batch requests.
    package let host: String
    package let port: Int
    package let configuration: WireClientConfiguration
    package let requests: [[PredictColumn]]
    /// When to stop.
    package let deadline: Date
    /// While this file exists, errors count as outage errors.
    package let outageFile: String?

    /// Connection `index` to `host:port`, sending `requests` (single-row, batch) until `deadline`;
    /// errors while `outageFile` exists count as outage errors.
    package init(
        index: Int, host: String, port: Int, configuration: WireClientConfiguration, requests: [[PredictColumn]],
        deadline: Date,
        outageFile: String?
    ) {
        self.index = index
        self.host = host
        self.port = port
        self.configuration = configuration
        self.requests = requests
        self.deadline = deadline
        self.outageFile = outageFile
    }

    private var inOutage: Bool {
        guard let outageFile else { return false }
        return FileManager.default.fileExists(atPath: outageFile)
    }

    /// Runs until the deadline; returns the tally.
    package func run() async -> ChaosLoadTally {
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
                        tally.firstErrors.append(
                            "version \(response.version) answered different probabilities to the same rows")
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
