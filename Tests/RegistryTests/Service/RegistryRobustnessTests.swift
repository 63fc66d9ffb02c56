import ChurnML
import Foundation
import Testing
import Wire

@testable import Registry

/// Token checks, a corrupted blob on disk, and concurrent publishers over the wire.
@Suite("Registry service robustness")
struct RegistryRobustnessTests {
    @Test("with a token configured, writes without it are refused and reads work")
    func tokenGuardsWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await RunningRegistry.start(directory: directory.path, token: "s3cret")
        let writer = try await registry.client(token: "s3cret")
        let version = try await writer.publishModel(
            bundle: try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7), name: "churn")
        #expect(version.version == 1)

        let anonymous = try await registry.client()
        #expect(try await anonymous.model("churn@1").version.bundleSHA256 == version.bundleSHA256)
        #expect(try await anonymous.download(sha256: version.bundleSHA256).count == Int(version.bundleSize))
        do {
            _ = try await anonymous.upload(bytes: [1, 2, 3], name: "x")
            Issue.record("upload without the token was accepted")
        } catch {
            #expect(serverCode(error) == .unauthorized)
        }
        do {
            _ = try await anonymous.call(AliasSetRequest(name: "churn", alias: "production", version: 1))
            Issue.record("alias set without the token was accepted")
        } catch {
            #expect(serverCode(error) == .unauthorized)
        }
        #expect(try await anonymous.call(AliasHistoryRequest(name: "churn")).items.isEmpty)
        await anonymous.close()
        await writer.close()
        try await registry.stop()
    }

    @Test("a corrupted blob fails with a clear 'corrupted' error; everything else keeps working")
    func corruptedBlob() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await RunningRegistry.start(directory: directory.path)
        let client = try await registry.client()
        let damaged = try await client.publishModel(
            bundle: try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7), name: "damaged")
        let healthy = try await client.publishModel(
            bundle: try RegistryFixtures.bundle(rocAUC: 0.9, accuracy: 0.8), name: "healthy")

        // Flip one byte in the middle of the damaged bundle's blob file.
        let path = directory.path + "/blobs/sha256/" + damaged.bundleSHA256.prefix(2) + "/" + damaged.bundleSHA256
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let middle = UInt64(damaged.bundleSize / 2)
        try handle.seek(toOffset: middle)
        let original = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: middle)
        try handle.write(contentsOf: Data([original ^ 0xFF]))
        try handle.close()

        do {
            _ = try await client.fetchModel("damaged@1")
            Issue.record("a corrupted blob was served")
        } catch {
            #expect(serverCode(error) == .checksumMismatch)
            #expect(serverMessage(error).contains("corrupted"))
        }
        // The same connection and the rest of the registry keep working.
        #expect(try await client.model("damaged@1").version.version == 1)
        let fetched = try await client.fetchModel("healthy")
        #expect(SHA256Digest.hex(of: fetched.bytes) == healthy.bundleSHA256)
        #expect(
            try await client.publishModel(
                bundle: try RegistryFixtures.bundle(rocAUC: 0.7, accuracy: 0.6), name: "healthy"
            ).version == 2)
        await client.close()
        try await registry.stop()
    }

    @Test("8 concurrent publishers over the wire get unique, gap-free versions")
    func concurrentPublishers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await RunningRegistry.start(directory: directory.path)
        let bundle = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7)
        let perPublisher = 4
        let versions = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let client = try await registry.client()
                    var mine: [Int] = []
                    for _ in 0..<perPublisher {
                        mine.append(try await client.publishModel(bundle: bundle, name: "race").version)
                    }
                    await client.close()
                    return mine
                }
            }
            var all: [Int] = []
            for try await mine in group { all += mine }
            return all
        }
        // 8 × 4 = 32 publishes → exactly the versions 1…32.
        #expect(versions.sorted() == Array(1...32))
        let client = try await registry.client()
        #expect(try await client.call(ModelListRequest(name: "race")).versions?.map(\.version) == Array(1...32))
        await client.close()
        try await registry.stop()
    }
}
