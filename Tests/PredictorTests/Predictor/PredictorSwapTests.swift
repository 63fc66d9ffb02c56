import ChurnClient
import ChurnML
import Foundation
import NIOCore
import Predictor
import Testing
import Wire

/// A bad bundle is refused and the old model keeps serving, with Health saying why; a good one is
/// swapped in (wire.md §13.1, §13.4).
@Suite("Predictor swaps", .serialized)
struct PredictorSwapTests {
    @Test func corruptedBundleIsRefusedAndTheOldModelKeepsServing() async throws {
        let bundle = try TestData.model()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("churn.safetensors")
        try bundle.write(to: path)
        let good = try FileBytes.read(path)
        let versionA = String(SHA256Digest.hex(of: good).prefix(12))
        let predictor = try await RunningPredictor.start(modelFile: path)
        let client = try await predictor.client()
        let rows = PredictRequest(table: TestData.rows(0..<5))
        let before = try await client.send(rows)
        #expect(before.version == versionA)

        // 1. One byte flipped in the last tensor's data: the content checksum no longer matches.
        var flipped = good
        flipped[flipped.count - 1] ^= 0x01
        try TemporaryDirectory.replace(path, with: flipped)
        await expectRefusal(client, code: .checksumMismatch)
        let health = try await client.send(HealthRequest())
        #expect(health.status == .degraded)
        #expect(health.detail.contains("serving churn \(versionA)"))
        #expect(health.detail.contains("refused"))
        #expect(health.detail.contains("checksum"))
        let during = try await client.send(rows)
        #expect(during.version == versionA)
        #expect(during.probabilities.map(\.bitPattern) == before.probabilities.map(\.bitPattern))
        #expect(try await client.send(ModelInfoRequest()).generation == 1)

        // 2. Truncated file: not a valid container → conflict. 3. Missing file → notFound.
        try TemporaryDirectory.replace(path, with: Array(good.prefix(good.count / 2)))
        await expectRefusal(client, code: .conflict)
        try FileManager.default.removeItem(atPath: path)
        await expectRefusal(client, code: .notFound)
        #expect(try await client.send(rows).version == versionA)

        // 4. The original bytes again: unchanged (same version), Health back to serving.
        try TemporaryDirectory.replace(path, with: good)
        let same = try await client.send(PredictorReloadRequest())
        #expect(!same.changed && same.version == versionA && same.generation == 1)
        #expect(try await client.send(HealthRequest()).status == .serving)

        // 5. A different valid model: swapped in as generation 2 with a new version.
        let variant = try TestData.variant(bundle, delta: 0.25)
        try variant.write(to: path)
        let swapped = try await client.send(PredictorReloadRequest())
        let versionB = String(SHA256Digest.hex(of: try FileBytes.read(path)).prefix(12))
        #expect(swapped.changed && swapped.generation == 2 && swapped.version == versionB && versionB != versionA)
        let after = try await client.send(rows)
        #expect(after.version == versionB)
        #expect(
            after.probabilities.map(\.bitPattern)
                == (try variant.predict(TestData.rows(0..<5))).probabilities.map(\.bitPattern))
        #expect(after.probabilities != before.probabilities)
        await client.close()
        try await predictor.stop()
    }

    func expectRefusal(_ client: WireClient, code: WireErrorCode) async {
        do {
            let answer = try await client.send(PredictorReloadRequest())
            Issue.record("reload of a bad bundle answered \(answer)")
        } catch let WireClientError.server(got, message, _) {
            #expect(got == code, "\(message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
