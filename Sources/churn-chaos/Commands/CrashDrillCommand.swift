import ArgumentParser
import ChurnChaos
import Foundation
import Registry
import Wire

/// `churn-chaos crash-drill publish|verify`: the two halves of the registry crash test
/// (scripts/registry-crash-test.sh). `publish` publishes over the wire in a loop and prints one
/// `ack NAME VERSION SHA256` line per acknowledged publish; `verify` opens the data directory
/// (with the server stopped) and checks every acknowledged version.
struct CrashDrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-drill", abstract: "Crash-test helpers (publish loop, verification).",
        subcommands: [CrashDrillPublishCommand.self, CrashDrillVerifyCommand.self])
}

/// `churn-chaos crash-drill publish --name N --rounds R --seed S`.
struct CrashDrillPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Publish in a loop, printing acknowledgements.")

    @Option(name: .long, help: "Model name.") var name: String = "drill"
    @Option(name: .long, help: "Publishes to attempt.") var rounds: Int = 1000
    @Option(name: .long, help: "Seed of the bundles.") var seed: UInt64 = 1
    @Option(
        name: .long, help: "The registry, HOST:PORT (of a list HOST:PORT,…, the first: the drill drives one server).")
    var registry: String = "127.0.0.1:7400"

    func run() async throws {
        let address = try ChaosArguments.registryAddress(registry)
        let bundles = try CrashDrill.bundles(count: 64, seed: seed)
        let client = try await RegistryClient.connect(host: address.host, port: address.port)
        for round in 0..<rounds {
            let version = try await client.publishModel(
                bundle: bundles[round % bundles.count], name: name, tags: ["round": "\(round)"],
                alias: round % 5 == 4 ? "latest-ok" : nil)
            let line = CrashDrill.Acknowledgement(
                name: name, version: version.version, bundleSHA256: version.bundleSHA256)
            FileHandle.standardOutput.write(Data((line.description + "\n").utf8))
        }
        await client.close()
    }
}

/// `churn-chaos crash-drill verify --data-dir DIR --name N --acks FILE`.
struct CrashDrillVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every acknowledged publish.")

    @Option(name: .long, help: "The registry data directory (server stopped).") var dataDir: String
    @Option(name: .long, help: "Model name.") var name: String = "drill"
    @Option(name: .long, help: "File of ack lines.") var acks: String

    func run() async throws {
        let text = (try? String(contentsOfFile: acks, encoding: .utf8)) ?? ""
        let acknowledged = text.split(separator: "\n").compactMap { CrashDrill.Acknowledgement(line: String($0)) }
        let store = try RegistryStore(directory: dataDir)
        let problems = try await CrashDrill.verify(store: store, name: name, acknowledged: acknowledged)
        let versions = try await store.versions(of: name).count
        if problems.isEmpty {
            print("ok: \(acknowledged.count) acknowledged, \(versions) versions, all checksum-valid")
        } else {
            for problem in problems { print("PROBLEM: \(problem)") }
            throw ExitCode(1)
        }
    }
}
