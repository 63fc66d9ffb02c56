import ChurnClient
import ChurnML
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Predictor
import Testing
import Wire

/// The hot-swap check through the registry: 32 connections keep sending single-row
/// Predicts while `production` is moved between two versions 20 times with AliasSet. No request
/// may fail; every response must carry one version's exact probabilities, and that version must
/// have been live at some instant between sending and receiving.
@Suite("Registry alias flips under load", .serialized)
struct RegistryAliasFlipTests {
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// One answered request.
    struct Observation: Sendable {
        var sent: UInt64
        var received: UInt64
        var version: String
        var bits: [UInt32]
    }

    @Test func twentyAliasMovesUnderLoadLoseNothing() async throws {
        let moves = 20
        let connections = 32
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = try RegistrySourceTests.bundles(2)
        let row = TestData.rows(3..<4)
        var expected: [String: [UInt32]] = [:]
        for (index, bundle) in bytes.enumerated() {
            expected[String(index + 1)] = try BundleCodec.decode(bundle).predict(row).probabilities.map(\.bitPattern)
        }
        #expect(expected["1"] != expected["2"])

        let registry = try await TestRegistry.start(directory: directory.path)
        let registryClient = try await registry.client()
        _ = try await registryClient.publishModel(bundle: bytes[0], name: "churn", alias: "production")
        _ = try await registryClient.publishModel(bundle: bytes[1], name: "churn")
        let predictor = try await RegistryPredictor.start(registryPort: registry.port)
        let watcher = try await predictor.client()

        // Epoch k serves version live[k]: from liveFrom[k] (its AliasSet was sent; the swap cannot
        // come earlier) to liveUntil[k] (the next version was seen answering; the swap came earlier).
        var live = ["1"]
        var liveFrom: [UInt64] = [0]
        var liveUntil: [UInt64] = []
        let failures = NIOLockedValueBox<[String]>([])
        let stop = NIOLockedValueBox(false)
        let request = PredictRequest(table: row)
        let load = Task {
            try await withThrowingTaskGroup(of: [Observation].self) { group in
                for connection in 0..<connections {
                    group.addTask {
                        let client = try await predictor.client()
                        var observations: [Observation] = []
                        while !stop.withLockedValue({ $0 }) {
                            let sent = Self.now()
                            do {
                                let response = try await client.send(request)
                                observations.append(
                                    Observation(
                                        sent: sent, received: Self.now(), version: response.version,
                                        bits: response.probabilities.map(\.bitPattern)))
                            } catch {
                                failures.withLockedValue { $0.append("connection \(connection): \(error)") }
                            }
                        }
                        await client.close()
                        return observations
                    }
                }
                var all: [Observation] = []
                for try await observations in group { all += observations }
                return all
            }
        }

        try await Task.sleep(nanoseconds: 50_000_000)
        for move in 1...moves {
            let target = move % 2 == 1 ? 2 : 1
            live.append(String(target))
            liveFrom.append(Self.now())
            _ = try await registryClient.call(AliasSetRequest(name: "churn", alias: "production", version: target))
            let switched = try await Eventually.within(10) {
                await watcher.answeringVersion(row) == String(target)
            }
            liveUntil.append(Self.now())
            #expect(switched != nil, "move \(move) to version \(target) was not followed within 10 s")
            try await Task.sleep(nanoseconds: 25_000_000)
        }
        liveUntil.append(.max)
        try await Task.sleep(nanoseconds: 50_000_000)
        stop.withLockedValue { $0 = true }
        let all = try await load.value
        await watcher.close()
        try await predictor.stop()
        await registryClient.close()
        try await registry.stop()

        #expect(failures.withLockedValue { $0 } == [])
        #expect(all.count > 1000, "only \(all.count) requests answered")
        var problems: [String] = []
        var seen = Set<String>()
        for observation in all {
            seen.insert(observation.version)
            guard let bits = expected[observation.version] else {
                problems.append("unknown version \(observation.version)")
                continue
            }
            if observation.bits != bits { problems.append("version \(observation.version) answered other numbers") }
            let wasLive = live.indices.contains { epoch in
                live[epoch] == observation.version && liveFrom[epoch] <= observation.received
                    && observation.sent <= liveUntil[epoch]
            }
            if !wasLive { problems.append("version \(observation.version) answered while it was not live") }
        }
        #expect(problems.isEmpty, "\(problems.count) problems, e.g. \(problems.prefix(3))")
        #expect(seen == ["1", "2"])
    }
}
