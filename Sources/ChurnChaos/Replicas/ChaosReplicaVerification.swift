import Foundation
import ServiceKit
import Wire

/// The checks at the end of `churn-chaos replicas`.
package struct ChaosReplicaVerification {
    /// Versions of the drill's model in the registry.
    package var versions = 0
    /// The event log's head sequence.
    package var head: Int64 = 0
    /// Events each subscriber received.
    package var eventsSeen: [Int] = []
    /// Everything that broke a promise.
    package var problems: [String] = []

    /// Waits up to `settleSeconds` for the subscribers to reach the head, then checks acks,
    /// version uniqueness, blob integrity and each subscriber's sequence.
    package static func run(
        addresses: [ListenAddress], name: String, acks: [ChaosAck], subscribers: [ChaosReplicaSubscriber],
        settleSeconds: Double
    ) async throws -> ChaosReplicaVerification {
        let client = try await connectAny(addresses)
        return try await withClosing {
            try await verify(
                client: client, name: name, acks: acks, subscribers: subscribers, settleSeconds: settleSeconds)
        } close: {
            await client.close()
        }
    }

    /// ``run(addresses:name:acks:subscribers:settleSeconds:)`` over an open connection.
    private static func verify(
        client: RegistryClient, name: String, acks: [ChaosAck], subscribers: [ChaosReplicaSubscriber],
        settleSeconds: Double
    ) async throws -> ChaosReplicaVerification {
        var result = ChaosReplicaVerification()
        result.head = try await client.events(after: 0, limit: 1).head
        let deadline = Date().addingTimeInterval(settleSeconds)
        while Date() < deadline,
            subscribers.contains(where: { ($0.sequences.last ?? 0) < UInt64(result.head) && $0.endedWith == nil })
        {
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let versions = try await client.call(ModelListRequest(name: name)).versions ?? []
        result.versions = versions.count
        var byNumber: [Int: String] = [:]
        for version in versions {
            if byNumber[version.version] != nil {
                result.problems.append("version \(version.version) of \(name) appears twice")
            }
            byNumber[version.version] = version.bundleSHA256
        }
        for ack in acks {
            guard case .model(let ackName, let number, let sha256) = ack else { continue }
            guard let stored = byNumber[number] else {
                result.problems.append("acknowledged \(ackName)@\(number) is missing")
                continue
            }
            if stored != sha256 {
                result.problems.append("\(ackName)@\(number) holds \(stored), acknowledged \(sha256)")
            }
        }
        // Every distinct bundle is fetched and verified end to end (client-side SHA-256 check).
        var checked = Set<String>()
        for version in versions where checked.insert(version.bundleSHA256).inserted {
            do {
                let fetched = try await client.fetchModel("\(name)@\(version.version)")
                if BlobDigest(hashing: fetched.bytes).hex != version.bundleSHA256 {
                    result.problems.append(
                        "\(name)@\(version.version): fetched bytes do not hash to \(version.bundleSHA256)")
                }
            } catch {
                result.problems.append("\(name)@\(version.version): cannot fetch its bundle: \(error)")
            }
        }
        for subscriber in subscribers {
            let sequences = subscriber.sequences
            result.eventsSeen.append(sequences.count)
            let expected = result.head > 0 ? Array(1...UInt64(result.head)) : []
            if sequences != expected {
                let duplicates = sequences.count - Set(sequences).count
                let missing = Set(expected).subtracting(sequences).count
                let ordered = zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }
                result.problems.append(
                    "subscriber on \(subscriber.address): \(sequences.count) events for head \(result.head): "
                        + "\(missing) missing, \(duplicates) repeated, \(ordered ? "in order" : "OUT OF ORDER")"
                        + (subscriber.endedWith.map { "; ended: \($0)" } ?? ""))
            }
        }
        return result
    }

    private static func connectAny(_ addresses: [ListenAddress]) async throws -> RegistryClient {
        var lastError: (any Error)?
        for address in addresses {
            do {
                return try await RegistryClient.connect(
                    host: address.host, port: address.port,
                    configuration: ChaosSupport.configuration(name: "replica-verify", token: nil, timeout: 30))
            } catch {
                lastError = error
            }
        }
        throw lastError ?? WireClientError.protocolViolation("no registry address to connect to")
    }
}
