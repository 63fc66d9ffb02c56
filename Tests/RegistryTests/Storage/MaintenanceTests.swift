import ChurnML
import Foundation
import Testing

@testable import Registry

@Suite("Registry store: gc, crash leftovers, concurrency")
struct MaintenanceTests {
    @Test(
        "gc: a dry run lists exactly the unreferenced blobs and deletes nothing; a real run deletes them",
        arguments: StoreKind.all)
    func gcDryRunVersusReal(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let dataset = try await store.pushDataset(name: "customers", bytes: RegistryFixtures.datasetCSV())
        let kept = try await store.publishModel(
            name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.8))
        let dropped = try await store.publishModel(
            name: "bank", bundle: RegistryFixtures.bundle(rocAUC: 0.9, accuracy: 0.8))
        try await store.deleteVersion(name: "bank", version: dropped.version)
        // A blob written by a publish that crashed before its index transaction.
        let orphanBytes = try RegistryFixtures.bundle(rocAUC: 0.95, accuracy: 0.8)
        let orphan = try await store.writeBlob(orphanBytes)
        let expected = [dropped.bundleSHA256, orphan].sorted()
        let orphanSize = Int64(orphanBytes.count)

        let dry = try await store.gc(dryRun: true)
        #expect(dry.dryRun)
        #expect(dry.unreferenced == expected)
        #expect(dry.bytes == dropped.bundleSize + orphanSize)
        #expect(dry.kept == 2)
        #expect(try await store.blobDigests().count == 4)

        let real = try await store.gc(dryRun: false)
        #expect(real.unreferenced == expected)
        #expect(try await store.blobDigests() == [dataset.sha256, kept.bundleSHA256].sorted())
        #expect(try await store.gc(dryRun: true).unreferenced.isEmpty)
        #expect(try await store.checkIntegrity().isEmpty)
        #expect(try await store.fetchModel("bank@1").bytes.count == Int(kept.bundleSize))
        // The orphan never became a version.
        #expect(try await store.versions(of: "bank").map(\.version) == [1])
    }

    @Test("gc leaves young blobs alone when asked for a minimum age", arguments: StoreKind.all)
    func gcMinimumAge(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        try await store.writeBlob(Array("orphan".utf8))
        #expect(try await store.gc(dryRun: false, minimumAgeMillis: 3_600_000).unreferenced.isEmpty)
        #expect(try await store.gc(dryRun: false).unreferenced.count == 1)
    }

    @Test("reopening after a crash removes unfinished uploads from tmp/")
    func crashLeftovers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let store = try RegistryStore(directory: directory.path)
            let upload = try await store.beginUpload()
            try upload.append([1, 2, 3])
            // Simulate the process dying mid-upload: the temporary file stays behind.
            _ = FileManager.default.createFile(atPath: directory.path + "/tmp/partial-from-crash", contents: Data([1]))
        }
        let reopened = try RegistryStore(directory: directory.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp").isEmpty)
        #expect(try await reopened.blobs.list().isEmpty)
    }

    @Test("8 concurrent publishers get unique, gap-free versions and one event each", arguments: StoreKind.all)
    func concurrentPublishers(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let bundles = try (0..<8).map { try RegistryFixtures.bundle(rocAUC: 0.5 + Double($0) / 100, accuracy: 0.7) }
        let perPublisher = 6
        let versions = try await withThrowingTaskGroup(of: [Int].self) { group in
            for publisher in 0..<8 {
                group.addTask {
                    var versions: [Int] = []
                    for round in 0..<perPublisher {
                        versions.append(
                            try await store.publishModel(
                                name: "bank", bundle: bundles[publisher],
                                tags: ["publisher": "\(publisher)", "round": "\(round)"]
                            ).version)
                    }
                    return versions
                }
            }
            var all: [Int] = []
            for try await batch in group {
                // Each publisher sees its own versions increase.
                #expect(batch == batch.sorted())
                all += batch
            }
            return all
        }
        #expect(versions.sorted() == Array(1...(8 * perPublisher)))
        #expect(try await store.versions(of: "bank").map(\.version) == Array(1...(8 * perPublisher)))
        let events = try await store.events(after: 0)
        #expect(events.count == 8 * perPublisher)
        #expect(events.map(\.sequence) == Array(1...Int64(8 * perPublisher)))
        #expect(try await store.checkIntegrity().isEmpty)
    }

    @Test("publishing while gc runs never loses a referenced blob", arguments: StoreKind.all)
    func publishDuringGC(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let bundles = try (0..<4).map { try RegistryFixtures.bundle(rocAUC: 0.6 + Double($0) / 100, accuracy: 0.7) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<40 {
                    try await store.publishModel(name: "bank", bundle: bundles[round % 4])
                    if round % 4 == 3 {
                        // Delete versions so that their blobs go in and out of use.
                        for version in try await store.versions(of: "bank").map(\.version).dropLast() {
                            try await store.deleteVersion(name: "bank", version: version)
                        }
                    }
                }
            }
            group.addTask {
                for _ in 0..<40 { _ = try await store.gc(dryRun: false) }
            }
            try await group.waitForAll()
        }
        #expect(try await store.checkIntegrity().isEmpty)
    }
}
