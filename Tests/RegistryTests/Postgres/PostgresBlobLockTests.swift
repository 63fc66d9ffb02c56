import Foundation
import Testing

@testable import Registry

extension PostgresStoreTests {
    @Suite("blob lock")
    struct BlobLock {
        @Test("garbage collection on store B waits for an in-flight blob write on store A, and the other way round")
        func collectionWaitsForWriters() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { storeA in
                    try await database.withStore { storeB in
                        let log = EventLog()
                        let writing = PostgresEventListener.Counter()
                        async let write: Void = storeA.whileWritingBlob("aa") {
                            await log.append("write started")
                            writing.increment()
                            try await Task.sleep(for: .milliseconds(700))
                            await log.append("write finished")
                        }
                        try await waitUntil(seconds: 5) { writing.count == 1 }
                        let pinned = try await storeB.whileCollectingGarbage { pinned in
                            await log.append("gc ran")
                            return pinned
                        }
                        try await write
                        #expect(pinned.isEmpty)
                        #expect(await log.entries == ["write started", "write finished", "gc ran"])

                        // A write waits for a collection in progress on another replica.
                        let collecting = PostgresEventListener.Counter()
                        async let collection: Void = storeB.whileCollectingGarbage { _ in
                            await log.append("gc started")
                            collecting.increment()
                            try await Task.sleep(for: .milliseconds(700))
                            await log.append("gc finished")
                        }
                        try await waitUntil(seconds: 5) { collecting.count == 1 }
                        try await storeA.whileWritingBlob("bb") { await log.append("write ran") }
                        try await collection
                        #expect(await log.entries.suffix(3) == ["gc started", "gc finished", "write ran"])

                        // Two writers share the lock: neither waits for the other.
                        let started = ContinuousClock.now
                        async let one: Void = storeA.whileWritingBlob("c1") {
                            try await Task.sleep(for: .milliseconds(500))
                        }
                        async let two: Void = storeB.whileWritingBlob("c2") {
                            try await Task.sleep(for: .milliseconds(500))
                        }
                        _ = try await (one, two)
                        #expect(ContinuousClock.now - started < .milliseconds(950))
                    }
                }
            }
        }
    }
}
