import Foundation
import ServiceKit
import Wire

/// One publisher of `churn-chaos replicas`: publishes bundles in a loop through a list of registry
/// replicas, staying on one until its connection is lost, then moving to the next. A publish is
/// acknowledged only when its answer arrives; one whose answer was lost may or may not have been
/// applied, and is not counted either way.
package struct ChaosReplicaPublisher {
    /// What one publisher did.
    package struct Tally: Sendable {
        /// Acknowledged publishes.
        package var acks: [ChaosAck] = []
        /// Connections lost (the replica died or restarted).
        package var losses = 0
        /// Publishes refused by a replica (a storage engine down, say).
        package var refusals = 0
    }

    /// The replicas.
    package let addresses: [ListenAddress]
    /// Index of the replica in use.
    package var current: Int
    private var client: RegistryClient?

    /// A publisher starting on replica `start`.
    package init(addresses: [ListenAddress], start: Int) {
        self.addresses = addresses
        current = start
    }

    /// Publishes until `deadline`, waiting `interval` nanoseconds between publishes.
    package mutating func run(until deadline: Date, name: String, bundles: [[UInt8]], seed: Int, interval: UInt64) async
        -> Tally
    {
        var tally = Tally()
        var step = seed
        while Date() < deadline {
            step += 1
            do {
                let client = try await connected()
                let version = try await client.publishModel(
                    bundle: bundles[step % bundles.count], name: name,
                    tags: ["publisher": "\(seed)", "step": "\(step)"])
                tally.acks.append(.model(name: version.name, version: version.version, sha256: version.bundleSHA256))
                ChaosSupport.emit(tally.acks[tally.acks.count - 1].description)
            } catch {
                if ChaosSupport.isConnectionLoss(error) {
                    tally.losses += 1
                    await client?.close()
                    client = nil
                    current = (current + 1) % addresses.count
                    try? await Task.sleep(nanoseconds: 50_000_000)
                } else {
                    tally.refusals += 1
                    try? await Task.sleep(nanoseconds: 100_000_000)
                }
            }
            if interval > 0 { try? await Task.sleep(nanoseconds: interval) }
        }
        await client?.close()
        return tally
    }

    private mutating func connected() async throws -> RegistryClient {
        if let client, client.wire.isActive { return client }
        let address = addresses[current]
        let fresh = try await RegistryClient.connect(
            host: address.host, port: address.port,
            configuration: ChaosSupport.configuration(name: "replica-publisher", token: nil, timeout: 10))
        client = fresh
        return fresh
    }
}
