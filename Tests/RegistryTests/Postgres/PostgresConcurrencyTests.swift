import Foundation
import Synchronization
import Testing
import Wire

@testable import Registry

extension PostgresStoreTests {
    @Suite("concurrency and events")
    struct Concurrency {
        @Test("8 publishers x 25 through two store instances: versions 1...200 and 200 gap-free events")
        func concurrentPublishers() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { storeA in
                    try await database.withStore { storeB in
                        let versions = try await withThrowingTaskGroup(of: [Int].self) { group in
                            for publisher in 0..<8 {
                                let store = publisher.isMultiple(of: 2) ? storeA : storeB
                                group.addTask {
                                    var mine: [Int] = []
                                    for index in 0..<25 {
                                        let draft = PostgresFixtures.draft("race", seed: publisher * 100 + index)
                                        mine.append(
                                            try await store.insertVersion(
                                                draft, alias: nil, who: "p\(publisher)", at: 1
                                            ).version)
                                    }
                                    return mine
                                }
                            }
                            var all: [Int] = []
                            for try await mine in group {
                                // Each publisher sees its own versions increase.
                                #expect(mine == mine.sorted())
                                all += mine
                            }
                            return all
                        }
                        #expect(versions.sorted() == Array(1...200))
                        #expect(try await storeB.versions(of: "race").map(\.version) == Array(1...200))
                        let events = try await storeA.events(after: 0, kinds: [.modelPublished], limit: Int.max)
                        #expect(events.count == 200)
                        #expect(events.map(\.sequence) == Array(1...200))
                        // Event order is commit order, which is version order here (one counter row per name).
                        let published = events.map { event -> Int in
                            let object =
                                try? JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any]
                            return (object?["version"] as? Int) ?? -1
                        }
                        #expect(published == Array(1...200))
                        #expect(try await storeB.latestSequence() == 200)
                        #expect(try await storeA.modelNames().first?.nextVersion == 201)
                    }
                }
            }
        }

        @Test("a subscriber on store B is woken by a write on store A (NOTIFY) and reads exactly the new events")
        func notifyAcrossStores() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { storeA in
                    try await database.withStore { storeB in
                        _ = try await storeA.insertVersion(PostgresFixtures.draft("seen"), alias: nil, who: "", at: 1)
                        let signals = SignalCounter(storeB.eventSignals())
                        defer { signals.stop() }
                        // Wait for the listener to be up (it signals once when LISTEN is established).
                        try await waitUntil(seconds: 5) { storeB.listener.connections.count >= 1 && signals.count >= 1 }
                        // Read before waiting, as a subscriber does.
                        let last = try await storeB.latestSequence()
                        #expect(last == 1)
                        let before = signals.count

                        let started = ContinuousClock.now
                        _ = try await storeA.insertVersion(
                            PostgresFixtures.draft("fresh", seed: 2), alias: "live", who: "", at: 2)
                        try await waitUntil(seconds: 2) { signals.count > before }
                        #expect(ContinuousClock.now - started < .seconds(2))
                        let fresh = try await storeB.events(after: last, kinds: [], limit: 1000)
                        #expect(fresh.map(\.sequence) == [2, 3])
                        #expect(fresh.map(\.kind) == [.modelPublished, .aliasMoved])
                        #expect(fresh.allSatisfy { $0.name == "fresh" })
                    }
                }
            }
        }

        @Test("events(after:) resumes exactly, page by page and by kind")
        func resume() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    // 5 publishes (2 with an alias: 2 events each) and 3 dataset pushes: 10 events.
                    for index in 1...5 {
                        _ = try await store.insertVersion(
                            PostgresFixtures.draft("m", seed: index), alias: index.isMultiple(of: 2) ? "even" : nil,
                            who: "", at: Int64(index))
                    }
                    for index in 1...3 {
                        _ = try await store.insertDataset(
                            PostgresFixtures.dataset("d", sha256: PostgresFixtures.digest(index), at: 100))
                    }
                    #expect(try await store.latestSequence() == 10)
                    var seen: [Int64] = []
                    var cursor: Int64 = 0
                    while true {
                        let page = try await store.events(after: cursor, kinds: [], limit: 3)
                        guard let last = page.last else { break }
                        #expect(page.count <= 3)
                        seen += page.map(\.sequence)
                        cursor = last.sequence
                    }
                    #expect(seen == Array(1...10))
                    // Published at 1, 2, 4, 5, 7; aliases at 3 and 6; datasets at 8, 9, 10.
                    #expect(
                        try await store.events(after: 0, kinds: [.modelPublished], limit: 100).map(\.sequence) == [
                            1, 2, 4, 5, 7,
                        ])
                    #expect(
                        try await store.events(after: 4, kinds: [.aliasMoved, .datasetPushed], limit: 100).map(
                            \.sequence) == [6, 8, 9, 10])
                    #expect(try await store.events(after: 10, kinds: [], limit: Int.max).isEmpty)
                    #expect(try await store.events(after: 0, kinds: [], limit: 0).isEmpty)
                }
            }
        }
    }
}

/// Polls `condition` every 20 ms until it holds; fails after `seconds`.
func waitUntil(seconds: Double, _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(seconds) s")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// Counts the signals of an event-signal stream (one task consumes it), so tests can wait for "one
/// more" without racing the stream's single consumer.
final class SignalCounter: Sendable {
    private let counter = PostgresEventListener.Counter()
    private let task: Task<Void, Never>

    /// Starts consuming `signals`.
    init(_ signals: AsyncStream<Void>) {
        let counter = counter
        task = Task {
            for await _ in signals { counter.increment() }
        }
    }

    /// Signals seen so far.
    var count: Int { counter.count }

    /// Stops consuming.
    func stop() { task.cancel() }
}
