import Foundation
import NIOCore
import Testing
import Wire

@testable import Registry

/// Events over Subscribe: order, topics, replay from a sequence, and resumption across a restart.
@Suite("Registry service events")
struct RegistryEventServiceTests {
    /// Takes `count` events from a subscription, failing after 10 s.
    static func take(_ count: Int, from subscription: WireSubscription) async throws -> [EventMessage] {
        try await withThrowingTaskGroup(of: [EventMessage].self) { group in
            group.addTask {
                var events: [EventMessage] = []
                for await event in subscription.events {
                    events.append(event)
                    if events.count == count { break }
                }
                return events
            }
            group.addTask {
                try await Task.sleep(nanoseconds: 10_000_000_000)
                throw CancellationError()
            }
            let result = try await group.next() ?? []
            group.cancelAll()
            return result
        }
    }

    @Test("events arrive in order with the registry's sequence numbers; resume after a restart misses nothing")
    func eventsAcrossRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bundle = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7)

        var seen: [EventMessage] = []
        do {
            let registry = try await RunningRegistry.start(directory: directory.path)
            let client = try await registry.client()
            let watcher = try await registry.client()
            let subscription = try await watcher.wire.subscribe(topics: ["*"])
            #expect(subscription.headSequence == 0)
            _ = try await client.pushDataset(bytes: RegistryFixtures.datasetCSV(), name: "data")
            _ = try await client.publishModel(bundle: bundle, name: "churn")
            _ = try await client.publishModel(bundle: bundle, name: "churn", alias: "production")
            // dataset.pushed, model.published, model.published, alias.moved
            seen = try await Self.take(4, from: subscription)
            #expect(seen.map(\.sequence) == [1, 2, 3, 4])
            #expect(seen.map(\.topic) == ["dataset.pushed", "model.published", "model.published", "alias.moved"])
            let decoded = try JSONDocument(json: seen[2].payload).decode(RegistryEvent.self)
            #expect(decoded.sequence == 3 && decoded.name == "churn" && decoded.kind == .modelPublished)
            // The poll form returns the same log.
            let polled = try await client.events(after: 1, limit: 2)
            #expect(polled.events.map(\.sequence) == [2, 3])
            #expect(polled.head == 4)
            await watcher.close()
            await client.close()
            try await registry.stop()
        }

        // A new process on the same data directory: a subscriber resuming after sequence 2
        // gets 3 and 4 replayed from the seeded hub, then live events.
        let registry = try await RunningRegistry.start(directory: directory.path)
        let watcher = try await registry.client()
        let subscription = try await watcher.wire.subscribe(
            topics: ["model.published", "alias.moved"], fromSequence: 3)
        #expect(subscription.headSequence == 4)
        let client = try await registry.client()
        _ = try await client.call(AliasSetRequest(name: "churn", alias: "production", version: 1))
        _ = try await client.pushDataset(bytes: RegistryFixtures.datasetCSV(seed: 9), name: "data")  // filtered out
        _ = try await client.publishModel(bundle: bundle, name: "churn")
        let resumed = try await Self.take(4, from: subscription)
        #expect(resumed.map(\.sequence) == [3, 4, 5, 7])
        #expect(resumed.map(\.topic) == ["model.published", "alias.moved", "alias.moved", "model.published"])
        #expect(resumed.prefix(2).map(\.payload) == seen.suffix(2).map(\.payload))
        await watcher.close()
        await client.close()
        try await registry.stop()
    }

    @Test("a fromSequence older than the retained window is refused; the poll opcode still serves it")
    func olderThanRetention() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let registry = try await RunningRegistry.start(directory: directory.path)
            let client = try await registry.client()
            let bundle = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7)
            for _ in 1...5 { _ = try await client.publishModel(bundle: bundle, name: "m") }
            await client.close()
            try await registry.stop()
        }
        // Restart with a window of 2 events: sequences 4 and 5 are retained, 3 is the evicted marker.
        let registry = try await RunningRegistry.start(directory: directory.path, retention: 2)
        let client = try await registry.client()
        let replay = try await client.wire.subscribe(topics: ["*"], fromSequence: 4)
        #expect(try await Self.take(2, from: replay).map(\.sequence) == [4, 5])
        do {
            _ = try await client.wire.subscribe(topics: ["*"], fromSequence: 1)
            Issue.record("a sequence outside the window was accepted")
        } catch {
            #expect(serverCode(error) == .notFound)
        }
        #expect(try await client.events(after: 0).events.map(\.sequence) == [1, 2, 3, 4, 5])
        await client.close()
        try await registry.stop()
    }
}
