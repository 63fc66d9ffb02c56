import ArgumentParser
import ChurnChaos
import Foundation
import Wire

/// `churn-chaos verify`: reads the writer's ack lines and checks them against the running registry
/// and trainer (``ChaosAckCheck``): every acknowledged dataset, model version, alias move and job
/// is there. With `--wait-jobs` it first waits for the acknowledged jobs to finish, and reports
/// their final states. Prints one JSON line; exits 1 on any problem.
struct ChaosVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check every acknowledged write against the running services.")

    @Option(name: .long, help: "Registry address, HOST:PORT (of a replica list, the first is used).") var registry:
        String = "127.0.0.1:7400"
    @Option(name: .long, help: "Trainer address, HOST:PORT.") var trainer: String = "127.0.0.1:7401"
    @Option(name: .long, help: "File of ack lines (churn-chaos writer's output).") var acks: String
    @Option(name: .long, help: "Seconds to wait for acknowledged jobs to finish (0: do not wait).") var waitJobs:
        Double = 0

    func run() async throws {
        let registryAddress = try ChaosArguments.registryAddress(registry)
        let trainerAddress = try ChaosArguments.address(trainer, flag: "trainer")
        guard let text = try? String(contentsOfFile: acks, encoding: .utf8) else {
            throw ValidationError("cannot read --acks '\(acks)'")
        }
        let lines = text.split(separator: "\n").map(String.init)
        let acknowledged = lines.compactMap(ChaosAck.init(line:))
        let configuration = ChaosSupport.configuration(name: "verify", token: nil, timeout: 30)
        var state = ChaosAckCheck.State()
        var jobStates: [String: Int] = [:]
        do {
            let client = try await RegistryClient.connect(
                host: registryAddress.host, port: registryAddress.port, configuration: configuration)
            for record in try await client.datasets() {
                state.datasets.insert(ChaosAckCheck.State.datasetKey(name: record.name, sha256: record.sha256))
            }
            var modelNames: Set<String> = []
            var aliases: Set<[String]> = []
            for ack in acknowledged {
                switch ack {
                case .model(let name, _, _): modelNames.insert(name)
                case .alias(let name, let alias, _), .aliasAttempt(let name, let alias, _):
                    aliases.insert([name, alias])
                default: break
                }
            }
            for name in modelNames {
                for version in try await client.call(ModelListRequest(name: name)).versions ?? [] {
                    state.models["\(name)@\(version.version)"] = version.bundleSHA256
                }
            }
            for pair in aliases {
                let key = "\(pair[0])@\(pair[1])"
                state.aliasHistory[key] = try await client.call(AliasHistoryRequest(name: pair[0], alias: pair[1]))
                    .items
                    .compactMap(\.toVersion)
                state.aliasNow[key] = try? await client.model(key).version.version
            }
            await client.close()
            let jobIDs = acknowledged.compactMap { ack -> Int64? in
                if case .job(let id) = ack { return Int64(id) }
                return nil
            }
            // The trainer is only asked when jobs were acknowledged.
            let trainerClient =
                jobIDs.isEmpty
                ? nil
                : try await TrainerClient.connect(
                    host: trainerAddress.host, port: trainerAddress.port, configuration: configuration)
            let deadline = Date().addingTimeInterval(waitJobs)
            for id in jobIDs {
                guard let trainerClient else { break }
                var record: JobRecord?
                repeat {
                    do {
                        record = try await trainerClient.status(id)
                    } catch let error as WireClientError where error.serverCode == .notFound {
                        record = nil
                        break
                    }
                    if let state = record?.state, state == .queued || state == .running, Date() < deadline {
                        try await Task.sleep(nanoseconds: 200_000_000)
                        continue
                    }
                    break
                } while true
                if let record {
                    state.jobs.insert(String(id))
                    jobStates[record.state.rawValue, default: 0] += 1
                }
            }
            await trainerClient?.close()
        } catch {
            print(
                ChaosSupport.json([
                    ("ok", "false"),
                    ("problems", "[" + ChaosSupport.quoted("cannot read the services: \(error)") + "]"),
                ]))
            throw ExitCode(1)
        }
        let summary = ChaosAckCheck.check(acknowledged, against: state)
        let states = jobStates.sorted { $0.key < $1.key }.map { "\(ChaosSupport.quoted($0.key)): \($0.value)" }
        print(
            ChaosSupport.json([
                ("ok", summary.problems.isEmpty ? "true" : "false"), ("ack_lines", "\(acknowledged.count)"),
                ("datasets", "\(summary.datasets)"), ("models", "\(summary.models)"),
                ("alias_moves", "\(summary.aliasMoves)"),
                ("jobs", "\(summary.jobs)"), ("job_states", "{" + states.joined(separator: ", ") + "}"),
                ("problems", "[" + summary.problems.prefix(20).map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
            ]))
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}
