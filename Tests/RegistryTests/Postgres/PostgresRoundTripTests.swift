import Foundation
import Testing
import Wire

@testable import Registry

extension PostgresStoreTests {
    @Suite("round trips")
    struct RoundTrips {
        @Test("publish, versions, aliases with history, delete refused while aliased, deployments")
        func models() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    let first = try await store.insertVersion(
                        PostgresFixtures.draft("churn", seed: 1, tags: ["team": "risk"], metrics: ["auc": 0.81]),
                        alias: nil, who: "ann", at: 1000)
                    let second = try await store.insertVersion(
                        PostgresFixtures.draft("churn", seed: 2, metrics: ["auc": 0.85, "f1": 0.5]),
                        alias: "production", who: "bob", at: 2000)
                    #expect(first.version == 1 && second.version == 2)
                    #expect(second.aliases == ["production"])
                    #expect(first.rowID > 0 && second.rowID > first.rowID)

                    let versions = try await store.versions(of: "churn")
                    #expect(versions.map(\.version) == [1, 2])
                    #expect(versions[0].tags == ["team": "risk"] && versions[0].metrics == ["auc": 0.81])
                    #expect(versions[1].aliases == ["production"] && versions[1].metrics == ["auc": 0.85, "f1": 0.5])
                    #expect(versions[0] == first)
                    #expect(try await store.model(.latest(name: "churn")).version == 2)
                    #expect(try await store.model(.version(name: "churn", version: 1)) == first)
                    #expect(try await store.model(.alias(name: "churn", alias: "production")).version == 2)
                    await #expect(throws: RegistryError.notFound(kind: "model version", reference: "churn@7")) {
                        try await store.model(.version(name: "churn", version: 7))
                    }
                    await #expect(throws: RegistryError.notFound(kind: "model version", reference: "nope")) {
                        try await store.model(.latest(name: "nope"))
                    }

                    // Alias moves: to 1, no-op to 1, removal; history oldest first.
                    let moved = try await store.moveAlias(
                        name: "churn", alias: "production", to: 1, who: "cy", at: 3000)
                    #expect(moved.fromVersion == 2 && moved.toVersion == 1)
                    let same = try await store.moveAlias(name: "churn", alias: "production", to: 1, who: "cy", at: 3500)
                    #expect(same.fromVersion == 1 && same.toVersion == 1)
                    _ = try await store.moveAlias(name: "churn", alias: "staging", to: 2, who: "dee", at: 4000)
                    #expect(try await store.aliases(of: "churn") == ["production": 1, "staging": 2])
                    await #expect(throws: RegistryError.notFound(kind: "model version", reference: "churn@9")) {
                        try await store.moveAlias(name: "churn", alias: "x", to: 9, who: "", at: 4100)
                    }
                    await #expect(throws: RegistryError.notFound(kind: "alias", reference: "churn@ghost")) {
                        try await store.moveAlias(name: "churn", alias: "ghost", to: nil, who: "", at: 4100)
                    }
                    let history = try await store.aliasHistory(name: "churn", alias: nil)
                    #expect(
                        history.map {
                            "\($0.alias):\(String(describing: $0.fromVersion))>\(String(describing: $0.toVersion))@\($0.who)"
                        } == [
                            "production:nil>Optional(2)@bob", "production:Optional(2)>Optional(1)@cy",
                            "staging:nil>Optional(2)@dee",
                        ])
                    #expect(try await store.aliasHistory(name: "churn", alias: "staging").count == 1)

                    // Delete refused while aliased, allowed once the alias is gone; numbers never reused.
                    await #expect(
                        throws: RegistryError.versionAliased(name: "churn", version: 1, aliases: ["production"])
                    ) {
                        try await store.deleteVersion(name: "churn", version: 1, who: "eve", at: 5000)
                    }
                    _ = try await store.moveAlias(name: "churn", alias: "production", to: nil, who: "eve", at: 5100)
                    let deleted = try await store.deleteVersion(name: "churn", version: 1, who: "eve", at: 5200)
                    #expect(deleted.version == 1 && deleted.tags == ["team": "risk"])
                    await #expect(throws: RegistryError.notFound(kind: "model version", reference: "churn@1")) {
                        try await store.deleteVersion(name: "churn", version: 1, who: "eve", at: 5300)
                    }
                    let third = try await store.insertVersion(
                        PostgresFixtures.draft("churn", seed: 3), alias: nil, who: "", at: 6000)
                    #expect(third.version == 3)
                    #expect(try await store.versions(of: "churn").map(\.version) == [2, 3])

                    let names = try await store.modelNames()
                    #expect(
                        names == [
                            ModelSummary(
                                name: "churn", versionCount: 2, latestVersion: 3, nextVersion: 4,
                                aliases: ["staging": 2])
                        ])

                    // Events: published 1, published 2, alias 2, alias 1, alias staging, alias removed, deleted, published 3.
                    let events = try await store.events(after: 0, kinds: [], limit: Int.max)
                    #expect(events.map(\.sequence) == Array(1...8))
                    #expect(
                        events.map(\.kind) == [
                            .modelPublished, .modelPublished, .aliasMoved, .aliasMoved, .aliasMoved, .aliasMoved,
                            .modelDeleted,
                            .modelPublished,
                        ])
                    #expect(events[2].payload == #"{"alias":"production","from":null,"to":2,"who":"bob"}"#)
                    #expect(events[6].payload.contains(#""version":1"#))

                    // Deployments: upsert keeps first_seen, moves the version; ordered by name, version, instance.
                    let d1 = try await store.reportDeployment(instance: "p-2", name: "churn", version: 2, at: 7000)
                    #expect(d1.firstSeenMillis == 7000 && d1.lastSeenMillis == 7000)
                    _ = try await store.reportDeployment(instance: "p-1", name: "churn", version: 3, at: 7100)
                    let d3 = try await store.reportDeployment(instance: "p-2", name: "churn", version: 3, at: 7200)
                    #expect(d3.firstSeenMillis == 7000 && d3.lastSeenMillis == 7200 && d3.version == 3)
                    _ = try await store.reportDeployment(instance: "p-9", name: "bank", version: 1, at: 7300)
                    #expect(
                        try await store.deployments(name: nil).map { "\($0.name)@\($0.version):\($0.instance)" } == [
                            "bank@1:p-9", "churn@3:p-1", "churn@3:p-2",
                        ])
                    #expect(try await store.deployments(name: "churn").count == 2)

                    let blobs = try await store.referencedBlobs()
                    #expect(
                        blobs == [
                            BlobReference(owner: "model churn@2", digest: PostgresFixtures.digest(2, prefix: "b")),
                            BlobReference(owner: "model churn@3", digest: PostgresFixtures.digest(3, prefix: "b")),
                        ])
                }
            }
        }

        @Test("datasets: the same name and digest twice returns the first and logs one event")
        func datasets() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    let digestA = PostgresFixtures.digest(0xA, prefix: "aa")
                    let digestB = PostgresFixtures.digest(0xB, prefix: "bb")
                    let first = try await store.insertDataset(
                        PostgresFixtures.dataset("bank", sha256: digestA, at: 1000))
                    let again = try await store.insertDataset(
                        PostgresFixtures.dataset("bank", sha256: digestA, at: 9999, rows: 77))
                    #expect(again == first)
                    #expect(again.createdMillis == 1000 && again.rows == 10)
                    _ = try await store.insertDataset(PostgresFixtures.dataset("bank", sha256: digestB, at: 2000))
                    _ = try await store.insertDataset(PostgresFixtures.dataset("attrition", sha256: digestB, at: 3000))

                    let events = try await store.events(after: 0, kinds: [.datasetPushed], limit: 100)
                    #expect(events.count == 3)
                    #expect(events[0].payload == #"{"columns":3,"rows":10,"sha256":"\#(digestA)","size":1234}"#)

                    // By name, then newest first.
                    #expect(
                        try await store.datasets(name: nil).map { "\($0.name)@\($0.sha256.prefix(2))" } == [
                            "attrition@bb", "bank@bb", "bank@aa",
                        ])
                    #expect(try await store.datasets(name: "bank").count == 2)
                    #expect(try await store.dataset(.latest(name: "bank")).sha256 == digestB)
                    let byPrefix = try await store.dataset(.digest(name: "bank", prefix: "aa00"))
                    #expect(byPrefix == first)
                    #expect(
                        byPrefix.columns == ["a", "b", "churn"] && byPrefix.profile == "{\"rows\":10}"
                            && byPrefix.dialect == nil)
                    await #expect(throws: RegistryError.notFound(kind: "dataset", reference: "bank@cccc")) {
                        try await store.dataset(.digest(name: "bank", prefix: "cccc"))
                    }
                    await #expect(throws: RegistryError.notFound(kind: "dataset", reference: "nothing")) {
                        try await store.dataset(.latest(name: "nothing"))
                    }
                }
            }
        }

        @Test("a digest prefix matching two pushes is ambiguous and lists both, newest first")
        func ambiguousPrefix() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    let one = "abcd" + String(repeating: "1", count: 60)
                    let two = "abcd" + String(repeating: "2", count: 60)
                    let other = "abce" + String(repeating: "0", count: 60)
                    for (index, digest) in [one, two, other].enumerated() {
                        _ = try await store.insertDataset(
                            PostgresFixtures.dataset("bank", sha256: digest, at: Int64(index)))
                    }
                    await #expect(
                        throws: RegistryError.ambiguous(
                            reference: "bank@abcd", candidates: ["bank@\(two)", "bank@\(one)"])
                    ) {
                        try await store.dataset(.digest(name: "bank", prefix: "abcd"))
                    }
                    #expect(try await store.dataset(.digest(name: "bank", prefix: "abcd2")).sha256 == two)
                    #expect(try await store.dataset(.digest(name: "bank", prefix: "abce")).sha256 == other)
                    // A shorter prefix covers all three (newest first, at most five listed).
                    await #expect(
                        throws: RegistryError.ambiguous(
                            reference: "bank@abc", candidates: ["bank@\(other)", "bank@\(two)", "bank@\(one)"])
                    ) {
                        try await store.dataset(.digest(name: "bank", prefix: "abc"))
                    }
                }
            }
        }
    }
}
