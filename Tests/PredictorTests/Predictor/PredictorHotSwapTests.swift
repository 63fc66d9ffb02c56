import ChurnClient
import ChurnML
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Predictor
import Testing
import Wire

/// Hot swap under load: 32 connections keep sending Predict (single rows on the event loop and
/// 200-row batches in tasks) while the model file is replaced and reloaded 20 times. No request
/// may fail, every response must be entirely the output of one version (its probabilities equal
/// that version's offline ones bit for bit), that version must have been live at some instant
/// between sending and receiving, and no connection may go back to an older version.
@Suite("Predictor hot swap", .serialized)
struct PredictorHotSwapTests {
    /// One answered request: when it was sent and received, and what came back.
    struct Observation: Sendable {
        var sent: UInt64
        var received: UInt64
        var version: String
        var bits: [UInt32]
        var batch: Bool
    }

    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    @Test func twentySwapsUnderLoadLoseNothingAndMixNothing() async throws {
        let swaps = 20
        let connections = 32
        let base = try TestData.model()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("churn.safetensors")

        // Version i: the output bias shifted by i/50 — distinct bytes, version and probabilities.
        let single = TestData.rows(3..<4)
        let batch = TestData.rows(0..<200)
        var bytes: [[UInt8]] = []
        var versions: [String] = []
        var expectedSingle: [String: [UInt32]] = [:]
        var expectedBatch: [String: [UInt32]] = [:]
        for index in 0...swaps {
            let encoded = try BundleCodec.encode(try TestData.variant(base, delta: Float(index) / 50))
            let version = String(SHA256Digest.hex(of: encoded).prefix(12))
            let decoded = try BundleCodec.decode(encoded)
            bytes.append(encoded)
            versions.append(version)
            expectedSingle[version] = try decoded.predict(single).probabilities.map(\.bitPattern)
            expectedBatch[version] = try decoded.predict(batch).probabilities.map(\.bitPattern)
        }
        #expect(Set(versions).count == swaps + 1)
        try TemporaryDirectory.replace(path, with: bytes[0])
        let predictor = try await RunningPredictor.start(modelFile: path)

        // liveFrom[i]: no earlier than this, version i may answer; liveUntil[i]: no later than this.
        var liveFrom = [UInt64](repeating: 0, count: swaps + 1)
        var liveUntil = [UInt64](repeating: .max, count: swaps + 1)
        let failures = NIOLockedValueBox<[String]>([])
        let stop = NIOLockedValueBox(false)
        let singleRequest = PredictRequest(table: single)
        let batchRequest = PredictRequest(table: batch)

        let load = Task {
            try await withThrowingTaskGroup(of: [Observation].self) { group in
                for connection in 0..<connections {
                    group.addTask {
                        let client = try await predictor.client()
                        var observations: [Observation] = []
                        var count = 0
                        while !stop.withLockedValue({ $0 }) {
                            let isBatch = connection % 8 == 0 && count % 4 == 0
                            let sent = Self.now()
                            do {
                                let response = try await client.send(isBatch ? batchRequest : singleRequest)
                                observations.append(
                                    Observation(
                                        sent: sent, received: Self.now(), version: response.version,
                                        bits: response.probabilities.map(\.bitPattern), batch: isBatch))
                            } catch {
                                failures.withLockedValue { $0.append("connection \(connection): \(error)") }
                            }
                            count += 1
                        }
                        await client.close()
                        return observations
                    }
                }
                var all: [[Observation]] = []
                for try await observations in group { all.append(observations) }
                return all
            }
        }

        let reloader = try await predictor.client()
        try await Task.sleep(nanoseconds: 50_000_000)
        for index in 1...swaps {
            try TemporaryDirectory.replace(path, with: bytes[index])
            liveFrom[index] = Self.now()
            let answer = try await reloader.send(PredictorReloadRequest())
            liveUntil[index - 1] = Self.now()
            #expect(answer.changed && answer.version == versions[index] && answer.generation == UInt64(index + 1))
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        stop.withLockedValue { $0 = true }
        let perConnection = try await load.value
        await reloader.close()
        try await predictor.stop()

        #expect(failures.withLockedValue { $0 } == [])
        let all = perConnection.flatMap { $0 }
        #expect(all.count > 1000, "only \(all.count) requests answered")
        #expect(all.contains { $0.batch })
        var seen = Set<String>()
        var problems: [String] = []
        for observations in perConnection {
            var lastIndex = 0
            for observation in observations {
                guard let index = versions.firstIndex(of: observation.version) else {
                    problems.append("unknown version \(observation.version)")
                    continue
                }
                seen.insert(observation.version)
                let expected =
                    observation.batch ? expectedBatch[observation.version] : expectedSingle[observation.version]
                if observation.bits != expected {
                    problems.append("response of \(observation.version) mixes other numbers")
                }
                // Live at some instant in [sent, received]: liveFrom ≤ received and sent ≤ liveUntil.
                if liveFrom[index] > observation.received || observation.sent > liveUntil[index] {
                    problems.append(
                        "version \(index) answered a request sent after it was replaced or received before it was loaded"
                    )
                }
                if index < lastIndex { problems.append("a connection went back from version \(lastIndex) to \(index)") }
                lastIndex = index
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        // The load ran across the swaps: most versions answered something.
        #expect(seen.count >= swaps / 2, "versions seen: \(seen.count)")
        #expect(seen.contains(versions[swaps]))
    }
}
