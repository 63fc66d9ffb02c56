import ArgumentParser
import ChurnChaos
import Foundation
import ServiceKit
import Wire

/// `churn-chaos replicas`: the client side of the registry replica drill
/// (`scripts/registry-replicas-drill.sh`, docs/scaling.md). Concurrent publishers write through a
/// list of registry replicas — moving to the next replica when a connection is lost — while one
/// subscriber per replica follows the whole event log from sequence 1, resuming on its own replica
/// after each restart. When the time is up it waits for every subscriber to reach the log's head
/// and checks: every acknowledged publish is there with its bundle intact, no version number of a
/// name is used twice, and each subscriber saw every event exactly once, in order. Prints ack lines
/// on standard output and one JSON summary line; exits 1 on any problem.
struct ChaosReplicasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicas", abstract: "Publish through registry replicas while they are killed; verify afterwards."
    )

    @Option(name: .long, help: "Registry replicas, HOST:PORT,HOST:PORT,… (one subscriber on each).") var registry:
        String
    @Option(name: .long, help: "Concurrent publishers.") var publishers: Int = 8
    @Option(name: .long, help: "Seconds to publish.") var seconds: Double = 30
    @Option(name: .long, help: "Milliseconds each publisher waits between publishes.") var intervalMs: Int = 20
    @Option(name: .long, help: "Seconds to wait, after publishing, for the subscribers to catch up.") var settle:
        Double = 60
    @Option(name: .long, help: "Model name published.") var name: String = "replica-drill"

    func run() async throws {
        let addresses = try registry.split(separator: ",").map {
            try ChaosArguments.address(String($0), flag: "registry")
        }
        guard !addresses.isEmpty, publishers >= 1, seconds > 0, intervalMs >= 0 else {
            throw ValidationError("need registry addresses, --publishers ≥ 1, --seconds > 0 and --interval-ms ≥ 0")
        }
        let bundles = try CrashDrill.bundles(count: 16, seed: 11)
        let subscribers = addresses.map { ChaosReplicaSubscriber(address: $0) }
        let following = subscribers.map { subscriber in Task { await subscriber.follow() } }
        let deadline = Date().addingTimeInterval(seconds)
        let name = name
        let interval = UInt64(intervalMs) * 1_000_000
        let tallies = await withTaskGroup(of: ChaosReplicaPublisher.Tally.self) { group in
            for index in 0..<publishers {
                group.addTask {
                    var publisher = ChaosReplicaPublisher(addresses: addresses, start: index % addresses.count)
                    return await publisher.run(
                        until: deadline, name: name, bundles: bundles, seed: index, interval: interval)
                }
            }
            var all: [ChaosReplicaPublisher.Tally] = []
            for await tally in group { all.append(tally) }
            return all
        }
        let acks = tallies.flatMap(\.acks)
        let verification = try await ChaosReplicaVerification.run(
            addresses: addresses, name: name, acks: acks, subscribers: subscribers, settleSeconds: settle)
        for task in following { task.cancel() }
        let summary = ChaosSupport.json([
            ("acknowledged", "\(acks.count)"), ("connection_losses", "\(tallies.map(\.losses).reduce(0, +))"),
            ("refusals", "\(tallies.map(\.refusals).reduce(0, +))"), ("versions", "\(verification.versions)"),
            ("head", "\(verification.head)"),
            ("events_seen", "[" + verification.eventsSeen.map(String.init).joined(separator: ", ") + "]"),
            ("problems", "[" + verification.problems.prefix(20).map(ChaosSupport.quoted).joined(separator: ", ") + "]"),
        ])
        print(summary)
        if !verification.problems.isEmpty { throw ExitCode(1) }
    }
}
