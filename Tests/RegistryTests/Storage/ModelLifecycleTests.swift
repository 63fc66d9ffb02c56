import ChurnML
import Foundation
import Testing
import Wire

@testable import Registry

@Suite("Registry store: models")
struct ModelLifecycleTests {
    @Test("publish indexes the bundle's metrics, threshold, lineage, tags and description", arguments: StoreKind.all)
    func publishIndexes(_ kind: StoreKind) async throws {
        let clock = SteppingClock()
        let registry = try await TestStore.make(kind, clock: clock.read)
        defer { registry.remove() }
        let store = registry.store
        let bundle = try RegistryFixtures.trainedBundle(seed: 2)
        let bytes = try BundleCodec.encode(bundle)
        let published = try await store.publishModel(
            name: "bank", bundle: bytes, tags: ["team": "risk", "stage": "dev"], description: "first try")
        #expect(published.version == 1)
        #expect(published.bundleSHA256 == SHA256Digest.hex(of: bytes))
        #expect(published.bundleSize == Int64(bytes.count))
        #expect(published.datasetSHA256 == bundle.lineage.datasetSHA256)
        #expect(published.threshold == bundle.threshold)
        #expect(published.createdMillis == SteppingClock.start)
        #expect(published.created == "2026-01-01T00:00:00.000Z")
        let metrics = try #require(bundle.metrics)
        #expect(published.metrics["accuracy"] == metrics.accuracy)
        #expect(published.metrics["roc_auc"] == metrics.rocAUC)
        #expect(published.metrics["brier"] == metrics.brier)
        #expect(published.metrics.count == 6 + (metrics.rocAUC == nil ? 0 : 1) + (metrics.prAUC == nil ? 0 : 1))
        // Reading it back gives the same record.
        let fetched = try await store.model("bank@1")
        #expect(fetched == published)
        #expect(fetched.tags == ["team": "risk", "stage": "dev"])
        #expect(fetched.description == "first try")
        #expect(fetched.hyperparameters.contains("\"epochs\":1"))
        #expect(fetched.lineage.contains(bundle.lineage.datasetSHA256))
        let (_, fetchedBytes) = try await store.fetchModel("bank")
        #expect(fetchedBytes == bytes)
    }

    @Test(
        "versions are 1, 2, 3…; a deleted version's number is never reused, even for the latest",
        arguments: StoreKind.all)
    func monotonicVersions(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let bytes = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        for expected in 1...3 {
            #expect(try await store.publishModel(name: "bank", bundle: bytes).version == expected)
        }
        try await store.deleteVersion(name: "bank", version: 3)
        #expect(try await store.publishModel(name: "bank", bundle: bytes).version == 4)
        try await store.deleteVersion(name: "bank", version: 4)
        try await store.deleteVersion(name: "bank", version: 1)
        #expect(try await store.publishModel(name: "bank", bundle: bytes).version == 5)
        #expect(try await store.versions(of: "bank").map(\.version) == [2, 5])
        // Another name has its own counter.
        #expect(try await store.publishModel(name: "telco", bundle: bytes).version == 1)
        let summaries = try await store.modelNames()
        #expect(summaries.map(\.name) == ["bank", "telco"])
        #expect(summaries[0].versionCount == 2 && summaries[0].latestVersion == 5 && summaries[0].nextVersion == 6)
        // Deleting every version keeps the counter.
        try await store.deleteVersion(name: "telco", version: 1)
        #expect(try await store.publishModel(name: "telco", bundle: bytes).version == 2)
    }

    @Test(
        "invalid bundles are refused and leave no trace: no version, no event, no counter step",
        arguments: StoreKind.all)
    func invalidBundle(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        var damaged = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        damaged[damaged.count - 1] ^= 0xFF
        for bad in [[UInt8](), Array("not a model".utf8), damaged] {
            do {
                _ = try await store.publishModel(name: "bank", bundle: bad)
                Issue.record("an invalid bundle was accepted")
            } catch let error as RegistryError {
                guard case .invalidBundle = error else {
                    Issue.record("unexpected error \(error)")
                    continue
                }
            }
        }
        #expect(try await store.events(after: 0).isEmpty)
        #expect(try await store.blobDigests().isEmpty)
        #expect(
            try await store.publishModel(name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8))
                .version == 1)
    }

    @Test("references: name, name@version, name@alias; bad references are typed errors", arguments: StoreKind.all)
    func references(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        for index in 0..<3 {
            try await store.publishModel(
                name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.7 + Double(index) / 100, accuracy: 0.8))
        }
        try await store.setAlias(name: "bank", alias: "production", version: 2)
        #expect(try await store.model("bank").version == 3)
        #expect(try await store.model("bank@1").version == 1)
        #expect(try await store.model("bank@production").version == 2)
        #expect(try await store.model("bank@production").aliases == ["production"])
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "bank@9")) {
            try await store.model("bank@9")
        }
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "bank@staging")) {
            try await store.model("bank@staging")
        }
        await #expect(throws: RegistryError.notFound(kind: "model version", reference: "other")) {
            try await store.model("other")
        }
        for bad in ["", "@1", "bank@", "../bank", "bank@0", "bank@-1", "bank@a b", "bank@1@2"] {
            await #expect(throws: RegistryError.self, "\(bad)") { try await store.model(bad) }
        }
    }

    @Test(
        "names are validated: letters, digits, '.', '_', '-', first alphanumeric, at most 128", arguments: StoreKind.all
    )
    func names(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let bytes = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        for good in ["a", "Bank_churn-v2.1", "9lives", String(repeating: "x", count: 128)] {
            #expect(try await store.publishModel(name: good, bundle: bytes).version == 1, "\(good)")
        }
        for bad in [
            "", "-bank", ".hidden", "a/b", "../etc", "a b", "bänk", String(repeating: "x", count: 129), "a\u{0}b",
        ] {
            await #expect(throws: RegistryError.self, "\(bad)") {
                try await store.publishModel(name: bad, bundle: bytes)
            }
        }
        await #expect(throws: RegistryError.self) {
            try await store.publishModel(name: "ok", bundle: bytes, tags: ["bad key": "v"])
        }
        await #expect(throws: RegistryError.self) {
            try await store.publishModel(name: "ok", bundle: bytes, tags: ["k": "line\u{1}"])
        }
        await #expect(throws: RegistryError.self) {
            try await store.publishModel(name: "ok", bundle: bytes, alias: "123")
        }
        #expect(try await store.modelNames().count == 4)
    }

    @Test("the store survives a reopen, and a second store on the same directory is refused")
    func reopenAndLock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        do {
            let store = try RegistryStore(directory: directory.path)
            try await store.publishModel(name: "bank", bundle: bytes, tags: ["k": "v"], alias: "production")
            #expect(throws: RegistryError.directoryLocked(path: directory.path)) {
                try RegistryStore(directory: directory.path)
            }
        }
        let reopened = try RegistryStore(directory: directory.path)
        let version = try await reopened.model("bank@production")
        #expect(version.version == 1 && version.tags == ["k": "v"])
        #expect(try await reopened.publishModel(name: "bank", bundle: bytes).version == 2)
    }

    @Test("chunked publish: upload, commit, publish by digest", arguments: StoreKind.all)
    func chunkedPublish(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let bytes = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        let upload = try await store.beginUpload()
        for start in stride(from: 0, to: bytes.count, by: 1000) {
            try upload.append(Array(bytes[start..<min(start + 1000, bytes.count)]))
        }
        let digest = try await upload.commit(expectedSHA256: SHA256Digest.hex(of: bytes))
        let version = try await store.publishModel(name: "bank", bundleSHA256: digest, tags: ["via": "chunks"])
        #expect(version.version == 1 && version.bundleSHA256 == digest)
        #expect(try await store.fetchModel("bank@1").bytes == bytes)
        await #expect(throws: RegistryError.blobNotFound(sha256: String(repeating: "0", count: 64))) {
            try await store.publishModel(name: "bank", bundleSHA256: String(repeating: "0", count: 64))
        }
    }

    @Test("a corrupted bundle blob is reported as corrupted; other versions keep working", arguments: StoreKind.all)
    func corruptedBundle(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let original = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8)
        let first = try await store.publishModel(name: "bank", bundle: original)
        try await store.publishModel(name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.9, accuracy: 0.8))
        var bytes = original
        bytes[100] ^= 0x01
        try await registry.overwriteBlob(first.bundleSHA256, with: bytes)
        await #expect(throws: RegistryError.corrupted(sha256: first.bundleSHA256)) {
            try await store.fetchModel("bank@1")
        }
        #expect(try await store.fetchModel("bank@2").version.version == 2)
        #expect(try await store.model("bank@1").version == 1)
        let problems = try await store.checkIntegrity()
        #expect(problems.count == 1)
        #expect(problems.first?.contains("bank@1") == true && problems.first?.contains("corrupted") == true)
    }
}

@Suite("Registry records: JSON")
struct RecordJSONTests {
    @Test("a model version encodes with snake-case keys and without the internal row id")
    func modelVersionJSON() async throws {
        let version = ModelVersion(
            name: "bank", version: 3, bundleSHA256: "ab", bundleSize: 10, datasetSHA256: "cd", createdMillis: 0,
            description: "d", threshold: 0.5, hyperparameters: "{}", lineage: "{}", tags: ["k": "v"],
            metrics: ["roc_auc": 0.9], aliases: ["production"], rowID: 42)
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(version)) as? [String: Any]
        #expect(object?["bundle_sha256"] as? String == "ab")
        #expect(object?["created_ms"] as? Int == 0)
        #expect(object?["aliases"] as? [String] == ["production"])
        #expect(object?["row_id"] == nil && object?["rowID"] == nil)
        var decoded = try JSONDecoder().decode(ModelVersion.self, from: JSONEncoder().encode(version))
        #expect(decoded.rowID == 0)
        decoded.rowID = 42
        #expect(decoded == version)
    }
}
