import ArgumentParser
import ChurnChaos
import Foundation
import Wire

/// `churn-chaos hostile`: seeded hostile frames (``HostileFrameGenerator``) at one role over many
/// connections, in rounds; after each round a fresh well-behaved client must get the baseline
/// answer (``ChaosProbe``). Slow clients (one byte per second) stay connected meanwhile. With a
/// token, the registry also gets truncated chunked uploads and bundles with wrong checksums, and —
/// given `--trainer` — malformed CSVs are pushed and trained (``ChaosHostileExtras``). Prints one
/// JSON line; exits 1 when a probe failed or the role stopped answering.
struct ChaosHostileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile", abstract: "Random and mutated frames, slow clients and bad uploads at one role.")

    @Option(name: .long, help: "The role's address, HOST:PORT.") var addr: String
    @Option(name: .long, help: "The role: registry, trainer or predictor (picks the request templates).") var role:
        String
    @Option(name: .long, help: "Hostile frames to send in total.") var frames: Int = 100_000
    @Option(name: .long, help: "Seed of the frames.") var seed: UInt64 = 1
    @Option(name: .long, help: "Connections sending at once.") var connections: Int = 8
    @Option(name: .long, help: "Rounds (a probe after each).") var rounds: Int = 10
    @Option(name: .long, help: "Frames written per batch before a barrier Ping.") var batch: Int = 32
    @Option(name: .long, help: "Slow clients sending a Hello one byte per second while the run lasts.") var slowClients:
        Int = 4
    @Option(name: .long, help: "The trainer, HOST:PORT (with --role registry: train malformed CSVs there).")
    var trainer: String?
    @Option(name: .long, help: "File holding the token, for the upload and CSV cases (else CHURN_TOKEN).")
    var tokenFile: String?

    func run() async throws {
        guard ["registry", "trainer", "predictor"].contains(role) else {
            throw ValidationError("--role '\(role)' is not registry, trainer or predictor")
        }
        guard frames >= 1, connections >= 1, rounds >= 1, batch >= 1, slowClients >= 0 else {
            throw ValidationError("need --frames, --connections, --rounds, --batch ≥ 1 and --slow-clients ≥ 0")
        }
        let address = try ChaosArguments.address(addr, flag: "addr")
        let token = try ChaosArguments.token(file: tokenFile)
        let probe = ChaosProbe(
            role: role, host: address.host, port: address.port,
            configuration: ChaosSupport.configuration(name: "probe", token: nil, timeout: 10))
        let first = await probe.run()
        guard let baseline = first.answer else {
            print(
                ChaosSupport.json([
                    ("role", ChaosSupport.quoted(role)), ("ok", "false"),
                    ("problems", "[" + ChaosSupport.quoted("baseline probe failed: \(first.failure ?? "")") + "]"),
                ]))
            throw ExitCode(1)
        }
        var info: ModelInfoResponse?
        if role == "predictor" {
            let client = try? await PredictorClient.connect(host: address.host, port: address.port)
            info = try? await client?.modelInfo()
            await client?.close()
        }
        let templates = ChaosHostileTemplates.frames(role: role, info: info)
        let slow = ChaosSlowClients(host: address.host, port: address.port, count: slowClients)
        let slowTask = Task { await slow.run() }

        var tally = ChaosHostileTally()
        var problems: [String] = []
        var probeMax = first.seconds
        let perRound = max(1, frames / rounds)
        for round in 0..<rounds {
            let quota = round == rounds - 1 ? frames - perRound * (rounds - 1) : perRound
            let roundTally = await withTaskGroup(of: ChaosHostileTally.self) { group in
                for worker in 0..<connections {
                    let share = quota / connections + (worker < quota % connections ? 1 : 0)
                    let workerSeed = seed &* 1_000_003 &+ UInt64(round * connections + worker)
                    group.addTask {
                        await ChaosHostileWorker(
                            host: address.host, port: address.port, templates: templates, batch: batch
                        )
                        .run(frames: share, seed: workerSeed)
                    }
                }
                var total = ChaosHostileTally()
                for await part in group { total.merge(part) }
                return total
            }
            tally.merge(roundTally)
            let check = await probe.run()
            probeMax = max(probeMax, check.seconds)
            if let answer = check.answer {
                if let difference = ChaosProbe.difference(answer, from: baseline) {
                    problems.append("round \(round + 1): \(difference)")
                }
            } else {
                problems.append("round \(round + 1): probe failed: \(check.failure ?? "")")
            }
        }
        var extras: [(String, String)] = []
        if let token, role == "registry" {
            let trainerAddress = try trainer.map { try ChaosArguments.address($0, flag: "trainer") }
            let result = await ChaosHostileExtras(registry: address, trainer: trainerAddress, token: token).run()
            extras = result.fields
            problems += result.problems
        }
        let slowResult = await slow.finish(task: slowTask)
        let last = await probe.run()
        if last.answer == nil { problems.append("final probe failed: \(last.failure ?? "")") }
        probeMax = max(probeMax, last.seconds)
        print(
            ChaosSupport.json(
                [
                    ("role", ChaosSupport.quoted(role)), ("ok", problems.isEmpty ? "true" : "false"),
                    ("seed", "\(seed)"),
                ] + tally.fields + [
                    ("probes", "\(rounds + 2)"), ("probe_max_ms", String(format: "%.1f", probeMax * 1000)),
                    ("slow_clients", "\(slowClients)"), ("slow_bytes_sent", "\(slowResult.bytes)"),
                    ("slow_closed_by_server", "\(slowResult.closedByServer)"),
                ] + extras + [
                    ("problems", "[" + problems.prefix(20).map(ChaosSupport.quoted).joined(separator: ", ") + "]")
                ]))
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
