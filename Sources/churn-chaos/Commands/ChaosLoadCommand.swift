import ArgumentParser
import ChurnChaos
import ChurnLoad
import Foundation
import Wire

/// `churn-chaos load`: N connections issue Predicts closed-loop (every fourth request 100 rows,
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
        let address = try ChaosArguments.address(predictor, flag: "predictor")
        let token = try ChaosArguments.token(file: tokenFile)
        let configuration = ChaosSupport.configuration(name: "load", token: token)
        let info: ModelInfoResponse
        do {
            let client = try await PredictorClient.connect(
                host: address.host, port: address.port, configuration: configuration)
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
