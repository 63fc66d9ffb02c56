import ChurnLoad
import Foundation
import Wire

/// What a fresh, well-behaved client of a role sees (`churn-chaos hostile` checks it between
/// batches): a Ping, then a role-specific answer that must equal the baseline taken at the start —
/// the predictor's probabilities for fixed rows (same model version), the registry's
/// `churn@production` version and dataset count, the trainer's job list.
package struct ChaosProbe: Sendable {
    /// The role probed, where, and the client settings.
    package let role: String
    package let host: String
    package let port: Int
    package let configuration: WireClientConfiguration

    /// A probe of the `role` server at `host:port`, connecting with `configuration`.
    package init(role: String, host: String, port: Int, configuration: WireClientConfiguration) {
        self.role = role
        self.host = host
        self.port = port
        self.configuration = configuration
    }

    /// What the role answered.
    package struct Answer: Equatable, Sendable {
        /// A readable summary, and for the predictor the probabilities and the model version.
        package var summary: String
        package var probabilities: [Float] = []
        package var version: String = ""
    }

    /// One probe: the answer and its duration, or the failure.
    package func run() async -> (answer: Answer?, seconds: Double, failure: String?) {
        let start = Date()
        do {
            let wire = try await WireClient.connect(host: host, port: port, configuration: configuration)
            let result: Result<Answer, any Error>
            do {
                result = .success(try await ask(wire))
            } catch {
                result = .failure(error)
            }
            await wire.close()
            return (try result.get(), Date().timeIntervalSince(start), nil)
        } catch {
            return (nil, Date().timeIntervalSince(start), "\(error)")
        }
    }

    /// The role-specific part of a probe on an open connection.
    private func ask(_ wire: WireClient) async throws -> Answer {
        guard try await wire.ping(7) == 7 else {
            throw WireClientError.protocolViolation("Ping echoed a wrong payload")
        }
        let answer: Answer
        switch role {
        case "predictor":
            let client = PredictorClient(wire: wire)
            let info = try await client.modelInfo()
            let response = try await client.predict(PredictBenchmarkRows.columns(for: info, rows: 3, seed: 5))
            answer = Answer(
                summary: "\(response.model) \(response.version)", probabilities: response.probabilities,
                version: response.version)
        case "registry":
            let client = RegistryClient(wire: wire)
            let production = try? await client.model("churn@production").version.version
            let datasets = try await client.datasets().count
            answer = Answer(summary: "churn@production=\(production.map(String.init) ?? "none") datasets=\(datasets)")
        case "trainer":
            let jobs = try await TrainerClient(wire: wire).list(limit: 1000)
            answer = Answer(summary: "jobs=\(jobs.count)")
        default:
            answer = Answer(summary: "ping")
        }
        return answer
    }

    /// Why `answer` does not match `baseline`, or nil when it does.
    package static func difference(_ answer: Answer, from baseline: Answer) -> String? {
        if !baseline.version.isEmpty {
            // A different model version may legitimately give other probabilities.
            if answer.version == baseline.version, answer.probabilities != baseline.probabilities {
                return
                    "predictor \(answer.version) answered \(answer.probabilities), baseline \(baseline.probabilities)"
            }
            return nil
        }
        return answer == baseline ? nil : "answered \"\(answer.summary)\", baseline \"\(baseline.summary)\""
    }
}
