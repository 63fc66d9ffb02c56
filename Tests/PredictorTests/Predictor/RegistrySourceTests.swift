import ChurnClient
import ChurnML
import Foundation
import Predictor
import Testing
import Wire

/// The predictor following a registry alias, against a real registry server in this process:
/// serving and hot swap, refusal of a corrupted bundle, starting before any model exists, and a
/// registry restart while the predictor runs.
@Suite("Registry model source", .serialized)
struct RegistrySourceTests {
    /// Encoded test bundles: the base model and variants with the output bias shifted (distinct
    /// bytes, digests and probabilities).
    static func bundles(_ count: Int) throws -> [[UInt8]] {
        let base = try TestData.model()
        return try (0..<count).map { try BundleCodec.encode(try TestData.variant(base, delta: Float($0) / 4)) }
    }

    /// How many positions of `a` and `b` differ in their bits (a length difference counts as
    /// that many differences), so a failure reports a count rather than two long arrays.
    static func differingBits(_ a: [Float], _ b: [Float]) -> Int {
        var count = abs(a.count - b.count)
        for index in 0..<min(a.count, b.count) where a[index].bitPattern != b[index].bitPattern { count += 1 }
        return count
    }

    @Test(
        "serves NAME@production bit for bit like offline, follows an alias move within seconds, reports its deployment")
    func servesAndFollowsTheAlias() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try Self.bundles(2)
        let registry = try await TestRegistry.start(directory: directory.path)
        let registryClient = try await registry.client()
        let first = try await registryClient.publishModel(bundle: bytes[0], name: "churn", alias: "production")
        #expect(first.version == 1)

        let predictor = try await RegistryPredictor.start(registryPort: registry.port, instance: "test-predictor")
        let client = try await predictor.client()

        // The whole table in one request: the registry's version 1, equal to offline bit for bit.
        let table = TestData.table
        let offline1 = try BundleCodec.decode(bytes[0]).predict(table)
        let answer1 = try await client.send(PredictRequest(table: table))
        #expect(answer1.model == "churn" && answer1.version == "1")
        #expect(Self.differingBits(answer1.probabilities, offline1.probabilities) == 0)
        #expect(answer1.labels == offline1.labels)
        if TestData.isReal { #expect(answer1.probabilities.count == 10_000) }

        let info = try await client.send(ModelInfoRequest())
        #expect(info.model == "churn" && info.version == "1" && info.generation == 1)
        #expect(info.sha256 == first.bundleSHA256)
        #expect(info.source == "registry 127.0.0.1:\(registry.port) churn@production")
        #expect(try await client.health().status == .serving)

        // The predictor reported what it serves.
        let reported1 = try await Eventually.within(5) {
            try await registryClient.deployments(of: "churn").contains {
                $0.instance == "test-predictor" && $0.version == 1
            }
        }
        #expect(reported1 != nil)

        // Version 2 published without the alias: nothing changes.
        let second = try await registryClient.publishModel(bundle: bytes[1], name: "churn")
        #expect(second.version == 2)
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(await client.answeringVersion(TestData.rows(0..<1)) == "1")

        // Moving another alias is not followed either.
        _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "staging", version: 2))
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(await client.answeringVersion(TestData.rows(0..<1)) == "1")

        // Moving production is followed, within seconds, with no reload asked for.
        _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "production", version: 2))
        let swapped = await Eventually.within(5) { await client.answeringVersion(TestData.rows(0..<1)) == "2" }
        #expect(swapped != nil, "the predictor did not follow production to version 2")
        let rows = TestData.rows(0..<500)
        let offline2 = try BundleCodec.decode(bytes[1]).predict(rows)
        let answer2 = try await client.send(PredictRequest(table: rows))
        #expect(answer2.version == "2")
        #expect(Self.differingBits(answer2.probabilities, offline2.probabilities) == 0)
        // The two versions really differ, so the comparison above could fail.
        #expect(Self.differingBits(answer2.probabilities, Array(answer1.probabilities.prefix(500))) > 0)
        #expect(try await client.send(ModelInfoRequest()).generation == 2)

        let reported2 = try await Eventually.within(5) {
            try await registryClient.deployments(of: "churn").contains {
                $0.instance == "test-predictor" && $0.version == 2
            }
        }
        #expect(reported2 != nil)

        await client.close()
        await registryClient.close()
        try await predictor.stop()
        try await registry.stop()
    }

    @Test("a corrupted bundle aliased production is refused: the old version keeps serving and Health says corrupted")
    func corruptedBundleIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try Self.bundles(3)
        let registry = try await TestRegistry.start(directory: directory.path)
        let registryClient = try await registry.client()
        _ = try await registryClient.publishModel(bundle: bytes[0], name: "churn", alias: "production")
        let predictor = try await RegistryPredictor.start(registryPort: registry.port)
        let client = try await predictor.client()
        _ = try await registryClient.publishModel(bundle: bytes[1], name: "churn", alias: "production")
        #expect(await Eventually.within(5) { await client.answeringVersion(TestData.rows(0..<1)) == "2" } != nil)

        // Version 3, then one byte of its blob flipped on disk, then production moved to it.
        let third = try await registryClient.publishModel(bundle: bytes[2], name: "churn")
        let path = registry.blobPath(third.bundleSHA256)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let middle = UInt64(third.bundleSize / 2)
        try handle.seek(toOffset: middle)
        let original = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: middle)
        try handle.write(contentsOf: Data([original ^ 0xFF]))
        try handle.close()
        _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "production", version: 3))

        let degraded = try await Eventually.within(5) { try await client.health().status == .degraded }
        #expect(degraded != nil, "Health never reported the refusal")
        let health = try await client.health()
        #expect(health.detail.contains("corrupted"), "\(health.detail)")
        #expect(health.detail.contains("churn@3"), "\(health.detail)")
        #expect(health.detail.hasPrefix("serving churn 2"), "\(health.detail)")

        // Still version 2, bit for bit.
        let rows = TestData.rows(0..<200)
        let offline2 = try BundleCodec.decode(bytes[1]).predict(rows)
        let answer = try await client.send(PredictRequest(table: rows))
        #expect(answer.version == "2")
        #expect(Self.differingBits(answer.probabilities, offline2.probabilities) == 0)
        #expect(try await client.send(ModelInfoRequest()).version == "2")

        // An explicit reload is refused the same way, with the typed code.
        do {
            _ = try await client.send(PredictorReloadRequest())
            Issue.record("a reload onto a corrupted bundle succeeded")
        } catch let WireClientError.server(code, message, _) {
            #expect(code == .checksumMismatch)
            #expect(message.contains("corrupted"), "\(message)")
        }

        // Production back on version 2: the refusal is over.
        _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "production", version: 2))
        let recovered = try await Eventually.within(5) { try await client.health().status == .serving }
        #expect(recovered != nil)
        #expect(try await client.send(ModelInfoRequest()).generation == 2, "no reload of the bundle already serving")

        await client.close()
        await registryClient.close()
        try await predictor.stop()
        try await registry.stop()
    }

    @Test("the registry itself refuses bytes that fail BundleCodec, so no such version can be aliased")
    func registryValidatesBundlesOnPublish() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await TestRegistry.start(directory: directory.path)
        let registryClient = try await registry.client()
        var damaged = try Self.bundles(1)[0]
        damaged[damaged.count - 9] ^= 0x01  // in the tensor data: the content checksum no longer matches
        #expect(throws: BundleError.self) { try BundleCodec.decode(damaged) }
        for bytes in [damaged, Array("not a bundle".utf8)] {
            do {
                _ = try await registryClient.publishModel(bundle: bytes, name: "churn", alias: "production")
                Issue.record("the registry accepted a bundle that fails verification")
            } catch {
                #expect((error as? WireClientError)?.serverCode == .invalidRequest, "\(error)")
            }
        }
        do {
            _ = try await registryClient.model("churn@production")
            Issue.record("an alias points at a refused bundle")
        } catch {
            #expect((error as? WireClientError)?.serverCode == .notFound)
        }
        await registryClient.close()
        try await registry.stop()
    }

    @Test("started before any model exists: no model available, typed error, then serves without restart")
    func startsBeforeAnyModel() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try Self.bundles(1)
        let registry = try await TestRegistry.start(directory: directory.path)
        let registryClient = try await registry.client()
        let predictor = try await RegistryPredictor.start(registryPort: registry.port)
        let client = try await predictor.client()

        let health = try await client.health()
        #expect(health.status == .degraded)
        #expect(health.detail.contains("no model available"), "\(health.detail)")
        #expect(health.detail.contains("churn@production"), "\(health.detail)")
        let error = await client.predictError(PredictRequest(table: TestData.rows(0..<1)))
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("no model available") == true, "\(error?.message ?? "")")
        do {
            _ = try await client.send(ModelInfoRequest())
            Issue.record("ModelInfo answered without a model")
        } catch {
            #expect((error as? WireClientError)?.serverCode == .unavailable)
        }

        // A version without the alias is still no model.
        _ = try await registryClient.publishModel(bundle: bytes[0], name: "churn")
        try await Task.sleep(nanoseconds: 1_500_000_000)  // more than one retry interval
        #expect(try await client.health().detail.contains("no model available"))

        _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "production", version: 1))
        let serving = await Eventually.within(5) { await client.answeringVersion(TestData.rows(0..<1)) == "1" }
        #expect(serving != nil, "the predictor did not pick up the first model")
        #expect(try await client.health().status == .serving)
        let rows = TestData.rows(0..<100)
        let offline = try BundleCodec.decode(bytes[0]).predict(rows)
        let answer = try await client.send(PredictRequest(table: rows))
        #expect(Self.differingBits(answer.probabilities, offline.probabilities) == 0)

        await client.close()
        await registryClient.close()
        try await predictor.stop()
        try await registry.stop()
    }

    @Test("registry down at start, then restarted while serving: the predictor recovers and still follows the alias")
    func survivesRegistryRestarts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try Self.bundles(2)

        // A registry with version 1 on production, stopped before the predictor starts. (Each
        // registry is released before the next opens the directory: the store holds its lock.)
        var registry: TestRegistry? = try await TestRegistry.start(directory: directory.path)
        let port = try #require(registry?.port)
        do {
            let registryClient = try #require(try await registry?.client())
            _ = try await registryClient.publishModel(bundle: bytes[0], name: "churn", alias: "production")
            await registryClient.close()
        }
        try await registry?.stop()
        registry = nil

        let predictor = try await RegistryPredictor.start(registryPort: port)
        let client = try await predictor.client()
        let down = try await client.health()
        #expect(down.status == .degraded)
        #expect(down.detail.contains("cannot reach the registry"), "\(down.detail)")

        // The registry comes up: the predictor loads version 1 without being asked.
        registry = try await TestRegistry.start(directory: directory.path, port: port)
        let loaded = await Eventually.within(8) { await client.answeringVersion(TestData.rows(0..<1)) == "1" }
        #expect(loaded != nil, "the predictor did not load the model once the registry came up")

        // The registry restarts while the predictor serves: serving goes on meanwhile.
        try await registry?.stop()
        registry = nil
        #expect(await client.answeringVersion(TestData.rows(0..<1)) == "1")
        #expect(try await client.health().status == .serving)
        let restarted = try await TestRegistry.start(directory: directory.path, port: port)
        // Give the subscription time to come back (backoff is at most 2 s), then move the alias.
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let registryClient = try await restarted.client()
        let second = try await registryClient.publishModel(bundle: bytes[1], name: "churn")
        _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "production", version: second.version))
        let followed = await Eventually.within(5) { await client.answeringVersion(TestData.rows(0..<1)) == "2" }
        #expect(followed != nil, "an alias move after the registry restart was not followed")
        let reported = try await Eventually.within(5) {
            try await registryClient.deployments(of: "churn").contains {
                $0.instance == "test-predictor" && $0.version == 2
            }
        }
        #expect(reported != nil)

        await registryClient.close()
        await client.close()
        try await predictor.stop()
        try await restarted.stop()
    }
}
