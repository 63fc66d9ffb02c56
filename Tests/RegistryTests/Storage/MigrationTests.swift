import ChurnML
import Foundation
import Testing
import Wire

@testable import Registry

@Suite("Registry migrate: an embedded registry copied into other stores")
struct MigrationTests {
    /// Fills an embedded registry with datasets, versions (one deleted), aliases moved several
    /// times, a deployment and their events.
    private func populated() async throws -> TestStore {
        let source = try await TestStore.make(.embedded, clock: SteppingClock().read)
        let store = source.store
        try await store.pushDataset(name: "bank", bytes: SyntheticBankData.csv(rows: 120, seed: 1))
        try await store.pushDataset(name: "bank", bytes: SyntheticBankData.csv(rows: 130, seed: 2))
        for index in 0..<4 {
            try await store.publishModel(
                name: "churn", bundle: RegistryFixtures.bundle(rocAUC: 0.7 + Double(index) / 100, accuracy: 0.8),
                tags: ["i": "\(index)"], description: "v\(index + 1)")
        }
        try await store.publishModel(
            name: "other", bundle: RegistryFixtures.bundle(rocAUC: 0.9, accuracy: 0.9), alias: "production")
        try await store.setAlias(name: "churn", alias: "production", version: 1, who: "alice")
        try await store.setAlias(name: "churn", alias: "production", version: 3, who: "bob")
        try await store.setAlias(name: "churn", alias: "staging", version: 4)
        try await store.removeAlias(name: "churn", alias: "staging")
        try await store.deleteVersion(name: "churn", version: 2)
        try await store.reportDeployment(instance: "predictor-1", name: "churn", version: 3)
        return source
    }

    @Test(
        "every fetch is byte-identical afterwards; versions, counters, alias history and events are the same",
        arguments: StoreKind.all)
    func copiesEverything(_ kind: StoreKind) async throws {
        let source = try await populated()
        defer { source.remove() }
        let target = try await TestStore.make(kind)
        defer { target.remove() }
        let metadata = try #require(target.store.metadata as? any SnapshotableMetadataStore)
        let report = try await RegistryMigration.copy(from: source.store, to: metadata, blobs: target.store.blobs)
        // Counted by hand from `populated`: 2 datasets; 4 + 1 published, 1 deleted; moves: other→production,
        // churn production 1, 3, staging 4, staging removed; events: 2 pushes, 5 publishes, 5 moves, 1 delete.
        #expect(report.datasets == 2 && report.versions == 4 && report.aliasMoves == 5 && report.events == 13)
        // Blobs: the 2 datasets and the bundles of the 4 remaining versions (the deleted one's is not referenced).
        #expect(report.blobs == 6)

        let (from, to) = (source.store, target.store)
        for name in ["churn", "other"] {
            let versions = try await from.versions(of: name)
            #expect(try await to.versions(of: name).map(\.version) == versions.map(\.version))
            for version in versions {
                let original = try await from.fetchModel("\(name)@\(version.version)")
                let copied = try await to.fetchModel("\(name)@\(version.version)")
                #expect(copied.bytes == original.bytes)
                #expect(
                    copied.version.tags == original.version.tags
                        && copied.version.description == original.version.description)
                #expect(copied.version.createdMillis == original.version.createdMillis)
            }
            #expect(try await to.aliasHistory(name: name) == (try await from.aliasHistory(name: name)))
            #expect(try await to.aliases(of: name) == (try await from.aliases(of: name)))
        }
        for record in try await from.datasets() {
            #expect(
                try await to.fetchDataset("bank@\(record.sha256)").bytes
                    == (try await from.fetchDataset("bank@\(record.sha256)").bytes))
        }
        #expect(try await to.events(after: 0, limit: 100) == (try await from.events(after: 0, limit: 100)))
        #expect(try await to.deployments() == (try await from.deployments()))
        // The counter carried over: the next churn version is 5, not 4 (2 was deleted, 4 is the latest).
        #expect(
            try await to.publishModel(name: "churn", bundle: RegistryFixtures.bundle(rocAUC: 0.6, accuracy: 0.6))
                .version == 5)
        // The next event continues the sequence: 13 copied, then that publish.
        #expect(try await to.latestSequence() == 14)
    }

    @Test("a target that is not empty is refused and left as it was", arguments: StoreKind.all)
    func refusesNonEmptyTarget(_ kind: StoreKind) async throws {
        let source = try await populated()
        defer { source.remove() }
        let target = try await TestStore.make(kind)
        defer { target.remove() }
        try await target.store.publishModel(
            name: "existing", bundle: RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8))
        let metadata = try #require(target.store.metadata as? any SnapshotableMetadataStore)
        await #expect(throws: RegistryError.invalidArgument("the target registry is not empty")) {
            try await RegistryMigration.copy(from: source.store, to: metadata, blobs: target.store.blobs)
        }
        #expect(try await target.store.modelNames().map(\.name) == ["existing"])
    }
}
