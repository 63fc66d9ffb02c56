import ChurnML
import Foundation
import Logging
import Predictor
import ServiceKit
import ServiceLifecycle
import Wire

/// The part of `churn serve all` that talks to the person who started it: announces each server
/// once it listens, pushes the sample dataset on the first start (through the registry's wire
/// protocol, like any client), and says when the first model is serving and where to open the
/// web pages. Then it waits for shutdown.
struct ReadinessReport: Service {
    /// Rows of the sample dataset (as `churn synth --rows 10000 --seed 0`).
    static let sampleRows = 10_000

    /// The servers to announce, by role.
    let servers: [(String, WireServer)]
    /// The predictor's model store (to see the first model arrive).
    let predictor: ModelStore
    /// The registry's address.
    let registry: ListenAddress
    /// The shared token, if any.
    let token: String?
    /// The dataset name to push the sample under (nil: no sample).
    let sample: String?
    /// The gateway's address.
    let web: String

    func run() async throws {
        for (role, server) in servers {
            await ServeRunner.announceListening(role: role, server: server)
        }
        if let sample {
            await pushSampleIfNeeded(name: sample)
        }
        let start = Date()
        while predictor.current == nil, !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        if let model = predictor.current?.identity {
            ServeRunner.say(
                "ready: model \(model.name) version \(model.version) serving (\(String(format: "%.1f", Date().timeIntervalSince(start))) s); open http://\(web)/"
            )
        }
        try? await gracefulShutdown()
    }

    /// Pushes the synthetic sample as dataset `name` unless the registry already has one by that name.
    private func pushSampleIfNeeded(name: String) async {
        let logger = Logger(label: "churn.all")
        do {
            let client = try await RegistryClient.connect(
                host: registry.host, port: registry.port,
                configuration: WireClientConfiguration(clientName: "churn-serve-all", token: token))
            do {
                if try await client.datasets(name: name).isEmpty {
                    let bytes = SyntheticBankData.csv(rows: Self.sampleRows, seed: 0)
                    let record = try await client.pushDataset(
                        bytes: bytes, name: name,
                        description: "synthetic sample: churn synth --rows \(Self.sampleRows) --seed 0")
                    ServeRunner.say(
                        "pushed sample dataset \(name) (\(Self.sampleRows) rows, sha256 \(record.sha256.prefix(12))); training the first model…"
                    )
                }
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        } catch {
            logger.error("could not push the sample dataset", metadata: ["error": "\(error)"])
        }
    }
}
