import Foundation
import Testing
import Wire

@testable import Registry

@Suite("Registry store: aliases, deletes and events")
struct AliasAndEventTests {
    private func storeWithVersions(
        _ kind: StoreKind, _ count: Int, clock: SteppingClock = SteppingClock()
    ) async throws -> (TestStore, RegistryStore) {
        let registry = try await TestStore.make(kind, clock: clock.read)
        for index in 0..<count {
            try await registry.store.publishModel(
                name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.7 + Double(index) / 100, accuracy: 0.8))
        }
        return (registry, registry.store)
    }

    @Test("an alias cannot point at a missing or deleted version", arguments: StoreKind.all)
    func aliasNeedsVersion(_ kind: StoreKind) async throws {
        let (directory, store) = try await storeWithVersions(kind, 2)
        defer { directory.remove() }
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "bank@3")) {
            try await store.setAlias(name: "bank", alias: "production", version: 3)
        }
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "other@1")) {
            try await store.setAlias(name: "other", alias: "production", version: 1)
        }
        try await store.deleteVersion(name: "bank", version: 2)
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "bank@2")) {
            try await store.setAlias(name: "bank", alias: "production", version: 2)
        }
        await #expect(throws: RegistryError.notFound(kind: "alias", reference: "bank@production")) {
            try await store.removeAlias(name: "bank", alias: "production")
        }
        #expect(try await store.aliases(of: "bank").isEmpty)
        #expect(try await store.aliasHistory(name: "bank").isEmpty)
    }

    @Test("delete is refused while an alias points at the version, and allowed once it moved", arguments: StoreKind.all)
    func deleteRefusedWhileAliased(_ kind: StoreKind) async throws {
        let (directory, store) = try await storeWithVersions(kind, 2)
        defer { directory.remove() }
        try await store.setAlias(name: "bank", alias: "production", version: 1)
        try await store.setAlias(name: "bank", alias: "canary", version: 1)
        await #expect(
            throws: RegistryError.versionAliased(name: "bank", version: 1, aliases: ["canary", "production"])
        ) {
            try await store.deleteVersion(name: "bank", version: 1)
        }
        #expect(try await store.model("bank@1").version == 1)
        try await store.setAlias(name: "bank", alias: "production", version: 2)
        try await store.removeAlias(name: "bank", alias: "canary")
        let deleted = try await store.deleteVersion(name: "bank", version: 1)
        #expect(deleted.version == 1)
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "bank@1")) {
            try await store.model("bank@1")
        }
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "bank@1")) {
            try await store.deleteVersion(name: "bank", version: 1)
        }
        // The search index forgets its tags and metrics too.
        #expect(try await store.search("version = 1").isEmpty)
    }

    @Test("alias history records every set, move and removal with who and when", arguments: StoreKind.all)
    func aliasHistory(_ kind: StoreKind) async throws {
        let clock = SteppingClock()
        let (directory, store) = try await storeWithVersions(kind, 3, clock: clock)
        defer { directory.remove() }
        // Three publishes read the clock at start, +1 s, +2 s; the alias changes follow.
        try await store.setAlias(name: "bank", alias: "production", version: 1, who: "alice")
        try await store.setAlias(name: "bank", alias: "staging", version: 3, who: "ci")
        let unchanged = try await store.setAlias(name: "bank", alias: "production", version: 1, who: "bob")
        #expect(unchanged.fromVersion == 1 && unchanged.toVersion == 1)
        try await store.setAlias(name: "bank", alias: "production", version: 2, who: "bob")
        try await store.removeAlias(name: "bank", alias: "production", who: "carol")
        let history = try await store.aliasHistory(name: "bank", alias: "production")
        #expect(history.map(\.fromVersion) == [nil, 1, 2])
        #expect(history.map(\.toVersion) == [1, 2, nil])
        #expect(history.map(\.who) == ["alice", "bob", "carol"])
        // Clock readings: publishes 0, 1, 2 s; alice 3 s; ci 4 s; unchanged set 5 s; bob 6 s; carol 7 s.
        #expect(history.map(\.createdMillis) == [3, 6, 7].map { SteppingClock.start + Int64($0) * 1000 })
        #expect(try await store.aliasHistory(name: "bank").count == 4)
        #expect(try await store.aliases(of: "bank") == ["staging": 3])
    }

    @Test("events come in commit order with increasing sequence numbers, and resume exactly", arguments: StoreKind.all)
    func eventsResume(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        #expect(try await store.latestSequence() == 0)
        try await store.pushDataset(name: "customers", bytes: RegistryFixtures.datasetCSV())
        try await store.publishModel(
            name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8), alias: "staging")
        try await store.publishModel(name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.9, accuracy: 0.8))
        try await store.setAlias(name: "bank", alias: "production", version: 2, who: "alice")
        try await store.removeAlias(name: "bank", alias: "staging")
        try await store.deleteVersion(name: "bank", version: 1)
        let all = try await store.events(after: 0)
        let expected: [EventKind] = [
            .datasetPushed, .modelPublished, .aliasMoved, .modelPublished, .aliasMoved, .aliasMoved, .modelDeleted,
        ]
        #expect(all.map(\.kind) == expected)
        #expect(all.map(\.sequence) == Array(1...7))
        #expect(all.map(\.name) == ["customers"] + Array(repeating: "bank", count: 6))
        #expect(try await store.latestSequence() == 7)
        for cut in 0...7 {
            #expect(try await store.events(after: Int64(cut)).map(\.sequence) == Array(Int64(cut + 1)..<8))
        }
        #expect(try await store.events(after: 2, limit: 2).map(\.sequence) == [3, 4])
        #expect(try await store.events(after: 0, kinds: [.aliasMoved]).map(\.sequence) == [3, 5, 6])
        #expect(try await store.events(after: 3, kinds: [.aliasMoved, .modelDeleted]).map(\.sequence) == [5, 6, 7])
        // Payloads are JSON objects with the documented keys.
        let moved = try JSONSerialization.jsonObject(with: Data(all[4].payload.utf8)) as? [String: Any]
        #expect(moved?["alias"] as? String == "production")
        #expect(moved?["to"] as? Int == 2)
        #expect(moved?["from"] is NSNull)
        #expect(moved?["who"] as? String == "alice")
        let published = try JSONSerialization.jsonObject(with: Data(all[3].payload.utf8)) as? [String: Any]
        #expect(published?["version"] as? Int == 2)
        #expect((published?["metrics"] as? [String: Any])?["roc_auc"] as? Double == 0.9)
        // Failed operations log nothing.
        await #expect(throws: RegistryError.self) { try await store.deleteVersion(name: "bank", version: 2) }
        #expect(try await store.latestSequence() == 7)
    }

    @Test("deployments: each instance's latest report per model", arguments: StoreKind.all)
    func deployments(_ kind: StoreKind) async throws {
        let clock = SteppingClock()
        let (directory, store) = try await storeWithVersions(kind, 2, clock: clock)
        defer { directory.remove() }
        try await store.reportDeployment(instance: "predictor-a", name: "bank", version: 1)
        try await store.reportDeployment(instance: "predictor-b", name: "bank", version: 1)
        let moved = try await store.reportDeployment(instance: "predictor-a", name: "bank", version: 2)
        // Clock: publishes 0, 1 s; reports 2, 3, 4 s.
        #expect(moved.firstSeenMillis == SteppingClock.start + 2000)
        #expect(moved.lastSeenMillis == SteppingClock.start + 4000)
        let live = try await store.deployments(name: "bank")
        #expect(live.map(\.instance) == ["predictor-b", "predictor-a"])
        #expect(live.map(\.version) == [1, 2])
        #expect(try await store.deployments(name: "other").isEmpty)
        await #expect(throws: RegistryError.self) {
            try await store.reportDeployment(instance: "", name: "bank", version: 1)
        }
        await #expect(throws: RegistryError.self) {
            try await store.reportDeployment(instance: "x", name: "bank", version: 0)
        }
    }
}

@Suite("Registry store: event signals")
struct EventSignalTests {
    @Test("a subscriber waiting on signals sees every event once, in order, with no polling", arguments: StoreKind.all)
    func subscriberCatchesUp(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let bundle = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        let signals = store.eventSignals()
        let subscriber = Task { () throws -> [Int64] in
            var seen: [Int64] = []
            var last: Int64 = 0
            for await _ in signals {
                let fresh = try await store.events(after: last)
                seen += fresh.map(\.sequence)
                last = fresh.last?.sequence ?? last
                if last >= 6 { break }
            }
            return seen
        }
        for _ in 0..<3 {
            try await store.publishModel(name: "bank", bundle: bundle)
        }
        try await store.setAlias(name: "bank", alias: "production", version: 1)
        try await store.setAlias(name: "bank", alias: "production", version: 3)
        try await store.deleteVersion(name: "bank", version: 2)
        #expect(try await subscriber.value == [1, 2, 3, 4, 5, 6])
    }
}
