import ArgumentParser
import ChurnChaos
import Foundation
import Wire

/// `churn-chaos writer`: acknowledged writes in a loop while services are killed and restarted:
/// alias moves (between the given versions), dataset pushes (slices of a CSV file), model publishes
/// and training jobs. Prints one ``ChaosAck`` line per write (an `attempt` line before each alias
/// move), reconnects after a lost connection, and ends with one JSON summary line on standard
/// error. A refusal by a server (rather than a lost connection) fails the run.
struct ChaosWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "writer", abstract: "Acknowledged writes in a loop; prints ack lines.")

    @Option(name: .long, help: "Registry address, HOST:PORT (of a replica list, the first is used).") var registry:
        String = "127.0.0.1:7400"
    @Option(name: .long, help: "Trainer address, HOST:PORT.") var trainer: String = "127.0.0.1:7401"
    @Option(name: .long, help: "File holding the token (else CHURN_TOKEN).") var tokenFile: String?
    @Option(name: .long, help: "Seconds to run.") var seconds: Double = 10
    @Option(name: .long, help: "The CSV file whose slices are pushed as datasets.") var csv: String
    @Option(name: .long, help: "Model whose alias is moved.") var model: String = "churn"
    @Option(name: .long, help: "The alias moved.") var alias: String = "production"
    @Option(name: .long, help: "Versions the alias moves between (repeatable, at least two).") var version: [Int] = []
    @Option(name: .long, help: "Milliseconds between writes.") var intervalMs: Int = 200
    @Option(name: .long, help: "Seed of the published bundles.") var seed: UInt64 = 7

    func run() async throws {
        guard version.count >= 2, seconds > 0, intervalMs >= 1 else {
            throw ValidationError("need at least two --version values, --seconds > 0 and --interval-ms ≥ 1")
        }
        let registryAddress = try ChaosArguments.registryAddress(registry)
        let trainerAddress = try ChaosArguments.address(trainer, flag: "trainer")
        let token = try ChaosArguments.token(file: tokenFile)
        guard let text = try? String(contentsOfFile: csv, encoding: .utf8) else {
            throw ValidationError("cannot read --csv '\(csv)'")
        }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        guard lines.count > 401 else { throw ValidationError("--csv '\(csv)' needs more than 400 data rows") }
        let bundles = try CrashDrill.bundles(count: 8, seed: seed)
        let configuration = ChaosSupport.configuration(name: "writer", token: token, timeout: 10)
        var registryClient: RegistryClient?
        var trainerClient: TrainerClient?
        var counts = (acks: 0, refusals: 0, lost: 0)
        var refusals: [String] = []
        let deadline = Date().addingTimeInterval(seconds)
        var step = 0
        while Date() < deadline {
            defer { step += 1 }
            let operation = step % 8
            do {
                if operation == 7 {
                    let client: TrainerClient
                    if let open = trainerClient {
                        client = open
                    } else {
                        client = try await TrainerClient.connect(
                            host: trainerAddress.host, port: trainerAddress.port, configuration: configuration)
                        trainerClient = client
                    }
                    let job = try await client.submit(
                        SubmitJobRequest(
                            dataset: "chaos-data", modelName: "chaos-jobs",
                            options: ["epochs": .integer(2), "hidden_layers": .array([.integer(4)])],
                            tags: ["step": "\(step)"]))
                    ChaosSupport.emit(ChaosAck.job(id: String(job.id)).description)
                } else {
                    let client: RegistryClient
                    if let open = registryClient {
                        client = open
                    } else {
                        client = try await RegistryClient.connect(
                            host: registryAddress.host, port: registryAddress.port, configuration: configuration)
                        registryClient = client
                    }
                    switch operation {
                    case 1, 5:
                        let first = 1 + (step * 37) % (lines.count - 401)
                        let slice = ([lines[0]] + lines[first..<(first + 400)]).joined(separator: "\n") + "\n"
                        let record = try await client.pushDataset(bytes: Array(slice.utf8), name: "chaos-data")
                        ChaosSupport.emit(ChaosAck.dataset(name: record.name, sha256: record.sha256).description)
                    case 3:
                        let published = try await client.publishModel(
                            bundle: bundles[step % bundles.count], name: "chaos-drill", tags: ["step": "\(step)"])
                        ChaosSupport.emit(
                            ChaosAck.model(
                                name: published.name, version: published.version, sha256: published.bundleSHA256
                            ).description)
                    default:
                        let target = version[(step / 2) % version.count]
                        ChaosSupport.emit(ChaosAck.aliasAttempt(name: model, alias: alias, version: target).description)
                        _ = try await client.call(
                            AliasSetRequest(name: model, alias: alias, version: target, who: "chaos-writer"))
                        ChaosSupport.emit(ChaosAck.alias(name: model, alias: alias, version: target).description)
                    }
                }
                counts.acks += 1
            } catch {
                if ChaosSupport.isConnectionLoss(error) {
                    counts.lost += 1
                    if operation == 7 {
                        await trainerClient?.close()
                        trainerClient = nil
                    } else {
                        await registryClient?.close()
                        registryClient = nil
                    }
                } else {
                    counts.refusals += 1
                    if refusals.count < 5 { refusals.append("\(error)") }
                }
            }
            try? await Task.sleep(nanoseconds: UInt64(intervalMs) * 1_000_000)
        }
        await registryClient?.close()
        await trainerClient?.close()
        FileHandle.standardError.write(
            Data(
                (ChaosSupport.json([
                    ("acknowledged", "\(counts.acks)"), ("lost_connections", "\(counts.lost)"),
                    ("refusals", "\(counts.refusals)"),
                    ("first_refusals", "[" + refusals.map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
                ]) + "\n").utf8))
        if counts.refusals > 0 { throw ExitCode(1) }
    }
}
