import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Predictor
import Testing
import Wire

/// Event subscriptions across registry replicas: when the registry a subscriber follows stops,
/// it resubscribes on the next address from the last sequence it saw. The two registries here
/// have their own directories; the same writes are made on both so their logs (and sequence
/// numbers) match, as replicas sharing one log would.
@Suite("Subscriber failover", .serialized)
struct SubscriberFailoverTests {
    @Test("a WireSubscriber whose registry stops resumes on the next address: no event missed or repeated")
    func subscriberResumesOnTheNextAddress() async throws {
        let directoryA = try TemporaryDirectory()
        let directoryB = try TemporaryDirectory()
        defer {
            directoryA.remove()
            directoryB.remove()
        }
        let first = try await TestRegistry.start(directory: directoryA.path)
        let second = try await TestRegistry.start(directory: directoryB.path)
        let clientA = try await first.client()
        let clientB = try await second.client()
        for client in [clientA, clientB] {
            _ = try await client.pushDataset(bytes: FailoverSupport.csv, name: "d1")
        }

        var subscriber = WireSubscriber(
            endpoints: try RoleEndpoints(parsing: "127.0.0.1:\(first.port),127.0.0.1:\(second.port)", role: "registry"),
            topics: [EventKind.datasetPushed.rawValue])
        subscriber.initialBackoff = .milliseconds(50)
        subscriber.maxBackoff = .milliseconds(200)
        let heads = NIOLockedValueBox<[UInt64]>([])
        subscriber.onSubscribed = { head in heads.withLockedValue { $0.append(head) } }
        let received = NIOLockedValueBox<[String]>([])
        let follow = Task {
            for try await message in subscriber.events() {
                let event = try JSONDocument(json: message.payload).decode(RegistryEvent.self)
                received.withLockedValue { $0.append("\(event.sequence) \(event.name)") }
            }
        }
        #expect(await Eventually.within(5) { heads.withLockedValue { $0 } == [1] } != nil)

        // Sequence 2 on both; the subscriber hears it from the first.
        for client in [clientA, clientB] {
            _ = try await client.pushDataset(bytes: FailoverSupport.csv, name: "d2")
        }
        #expect(await Eventually.within(5) { received.withLockedValue { $0 } == ["2 d2"] } != nil)

        // The first stops: the subscriber resubscribes on the second (head 2) and hears sequence 3 from it.
        await clientA.close()
        try await first.stop()
        #expect(await Eventually.within(5) { heads.withLockedValue { $0 } == [1, 2] } != nil)
        _ = try await clientB.pushDataset(bytes: FailoverSupport.csv, name: "d3")
        #expect(await Eventually.within(5) { received.withLockedValue { $0 } == ["2 d2", "3 d3"] } != nil)
        #expect(received.withLockedValue { $0 } == ["2 d2", "3 d3"])

        follow.cancel()
        _ = await follow.result
        await clientB.close()
        try await second.stop()
    }

    @Test("a predictor following [registry A, registry B]: A stops, an alias move on B is followed")
    func predictorFollowsTheNextReplica() async throws {
        let directoryA = try TemporaryDirectory()
        let directoryB = try TemporaryDirectory()
        defer {
            directoryA.remove()
            directoryB.remove()
        }
        let bytes = try RegistrySourceTests.bundles(2)
        let first = try await TestRegistry.start(directory: directoryA.path)
        let second = try await TestRegistry.start(directory: directoryB.path)
        let clientB = try await second.client()
        for registry in [first, second] {
            let client = try await registry.client()
            _ = try await client.publishModel(bundle: bytes[0], name: "churn", alias: "production")
            await client.close()
        }

        let endpoints = try RoleEndpoints(parsing: "127.0.0.1:\(first.port),127.0.0.1:\(second.port)", role: "registry")
        let source = RegistryModelSource(endpoints: endpoints, instance: "failover-predictor")
        #expect(source.description == "registry 127.0.0.1:\(first.port),127.0.0.1:\(second.port) churn@production")
        let running = try await RunningPredictor.start(source: source)
        let loader = running.loader
        let follow = Task { await loader.followChanges() }
        let client = try await running.client()
        #expect(await client.answeringVersion(TestData.rows(0..<1)) == "1")
        // It reported its deployment to the first registry (the one it uses).
        let reportedToFirst = try await Eventually.within(5) {
            let probe = try await first.client()
            defer { Task { await probe.close() } }
            return try await probe.deployments(of: "churn").contains { $0.instance == "failover-predictor" }
        }
        #expect(reportedToFirst != nil)

        try await first.stop()
        let published = try await clientB.publishModel(bundle: bytes[1], name: "churn")
        #expect(published.version == 2)
        _ = try await clientB.call(AliasSetRequest(name: "churn", alias: "production", version: 2))
        let followed = await Eventually.within(8) { await client.answeringVersion(TestData.rows(0..<1)) == "2" }
        #expect(followed != nil, "the alias move on the second registry was not followed")
        let reportedToSecond = try await Eventually.within(5) {
            try await clientB.deployments(of: "churn").contains {
                $0.instance == "failover-predictor" && $0.version == 2
            }
        }
        #expect(reportedToSecond != nil)

        follow.cancel()
        await follow.value
        await client.close()
        try await running.stop()
        await clientB.close()
        try await second.stop()
    }
}
