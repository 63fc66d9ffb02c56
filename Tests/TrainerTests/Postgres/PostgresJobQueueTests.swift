import ChurnML
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import Wire

@testable import Trainer

/// The shared job queue against a real PostgreSQL (skipped without `CHURN_TEST_POSTGRES_URL`):
/// claims are exclusive, leases expire and are fenced, keys and cancels reach across trainers,
/// and each trainer hears the others' events.
@Suite("Shared job queue (PostgreSQL)", .enabled(if: JobQueueTestDatabase.enabled))
struct PostgresJobQueueTests {
    private func job(_ name: String = "bank") -> TrainingJob {
        TrainingJob(dataset: name, modelName: "m", configuration: TrainingConfiguration(), submittedMillis: now())
    }

    private func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    @Test("two trainers claiming at once split 40 jobs with no job claimed twice, oldest first")
    func exclusiveClaims() async throws {
        try await JobQueueTestDatabase.with { database in
            let a = try await database.queue("a")
            let b = try await database.queue("b")
            var ids: [Int64] = []
            for _ in 0..<40 { ids.append(try await a.insert(job()).id) }
            async let fromA = claimAll(a, owner: "a")
            async let fromB = claimAll(b, owner: "b")
            let (claimedA, claimedB) = try await (fromA, fromB)
            #expect(Set(claimedA).isDisjoint(with: claimedB), "a job claimed by both trainers")
            #expect((claimedA + claimedB).sorted() == ids.sorted(), "every job claimed exactly once")
            #expect(
                claimedA == claimedA.sorted() && claimedB == claimedB.sorted(), "each trainer takes the oldest first")
            let running = try await a.jobs(states: [.running], limit: 100)
            #expect(running.count == 40 && running.allSatisfy { $0.attempts == 1 })
            await a.close()
            await b.close()
        }
    }

    private func claimAll(_ queue: PostgresJobQueue, owner: String) async throws -> [Int64] {
        var claimed: [Int64] = []
        while true {
            let claim = try await queue.claim(
                owner: owner, limit: 3, lease: .seconds(30), maxAttempts: 3, nowMillis: now())
            if claim.claimed.isEmpty { return claimed }
            claimed += claim.claimed.map(\.id)
        }
    }

    @Test("an expired lease lets another trainer re-run the job; the old owner can no longer renew or record")
    func leaseExpiry() async throws {
        try await JobQueueTestDatabase.with { database in
            let a = try await database.queue("a")
            let b = try await database.queue("b")
            let id = try await a.insert(job()).id
            let first = try await a.claim(owner: "a", limit: 5, lease: .seconds(30), maxAttempts: 3, nowMillis: now())
            #expect(first.claimed.map(\.id) == [id])
            #expect(
                try await b.claim(owner: "b", limit: 5, lease: .seconds(30), maxAttempts: 3, nowMillis: now()).claimed
                    .isEmpty,
                "a live lease is not taken")
            // A renewal sets the lease from now: 1 ms makes it expire at once (as if `a` had died).
            #expect(try await a.renew(owner: "a", jobIDs: [id], lease: .milliseconds(1)).lost.isEmpty)
            try await Task.sleep(for: .milliseconds(20))
            let second = try await b.claim(owner: "b", limit: 5, lease: .seconds(30), maxAttempts: 3, nowMillis: now())
            let rerun = try #require(second.claimed.first)
            #expect(rerun.id == id && rerun.attempts == 2)
            #expect(rerun.notes.contains { $0.contains("lease expired") })
            #expect(try await a.renew(owner: "a", jobIDs: [id], lease: .seconds(30)).lost == [id])
            var outcome = first.claimed[0]
            outcome.state = .succeeded
            #expect(try await a.finish(outcome, owner: "a") == false, "the old owner's outcome is fenced off")
            var mine = rerun
            mine.state = .succeeded
            #expect(try await b.finish(mine, owner: "b"))
            let stored = try #require(try await a.job(id))
            #expect(stored.state == .succeeded && stored.attempts == 2)
            #expect(try await b.finish(mine, owner: "b") == false, "a finished job is not recorded twice")
            await a.close()
            await b.close()
        }
    }

    @Test("a job whose trainers keep dying fails after max attempts")
    func gaveUp() async throws {
        try await JobQueueTestDatabase.with { database in
            let queue = try await database.queue("a")
            let id = try await queue.insert(job()).id
            for attempt in 1...2 {
                let claim = try await queue.claim(
                    owner: "t\(attempt)", limit: 1, lease: .milliseconds(100), maxAttempts: 2, nowMillis: now())
                #expect(claim.claimed.map(\.attempts) == [attempt])
                try await Task.sleep(for: .milliseconds(250))
            }
            let last = try await queue.claim(
                owner: "t3", limit: 1, lease: .seconds(30), maxAttempts: 2, nowMillis: now())
            #expect(last.claimed.isEmpty)
            let failed = try #require(last.gaveUp.first)
            #expect(failed.id == id && failed.state == .failed && failed.error?.contains("2 times") == true)
            #expect(try await queue.job(id)?.state == .failed)
            await queue.close()
        }
    }

    @Test("a key stored by one trainer is found by the other; the second insert under it stores nothing")
    func idempotencyAcrossTrainers() async throws {
        try await JobQueueTestDatabase.with { database in
            let a = try await database.queue("a")
            let b = try await database.queue("b")
            let request = IdempotentRequest(
                key: IdempotencyKey.random(), opcode: .submitJob, body: ByteBuffer(string: "{\"x\":1}"))
            let stored = try await a.insert(job(), settings: ["s": "1"], idempotency: request)
            await #expect(throws: JobKeyTaken.self) {
                _ = try await b.insert(job(), settings: ["s": "2"], idempotency: request)
            }
            #expect(try await b.idempotentJob(request, nowMillis: now()) == stored.id)
            #expect(try await b.jobs(states: [], limit: 10).count == 1, "the losing insert stored no job")
            #expect(try await b.setting("s") == "1", "nor its settings")
            let other = IdempotentRequest(
                key: IdempotencyKey(hex: request.key)!, opcode: .submitJob, body: ByteBuffer(string: "{\"x\":2}"))
            await #expect(throws: ErrorMessage.self) { _ = try await b.idempotentJob(other, nowMillis: now()) }
            #expect(
                try await a.idempotentJob(request, nowMillis: now() + IdempotentRequest.retentionMillis + 1) == nil,
                "keys expire")
            await a.close()
            await b.close()
        }
    }

    @Test("cancel: a queued job at once; a running one through its owner's next renewal")
    func cancelAcrossTrainers() async throws {
        try await JobQueueTestDatabase.with { database in
            let a = try await database.queue("a")
            let b = try await database.queue("b")
            let queued = try await a.insert(job()).id
            let cancelled = try #require(try await b.requestCancel(queued, nowMillis: now()))
            #expect(cancelled.state == .cancelled)
            let running = try await a.insert(job()).id
            let claim = try await a.claim(owner: "a", limit: 5, lease: .seconds(30), maxAttempts: 3, nowMillis: now())
            #expect(claim.claimed.map(\.id) == [running], "a cancelled job is not claimed")
            #expect(try await b.requestCancel(running, nowMillis: now())?.state == .running)
            #expect(try await a.renew(owner: "a", jobIDs: [running], lease: .seconds(30)).cancelRequested == [running])
            #expect(try await b.requestCancel(999, nowMillis: now()) == nil)
            await a.close()
            await b.close()
        }
    }

    @Test("each trainer hears the other's state changes and epochs, not its own")
    func foreignEvents() async throws {
        try await JobQueueTestDatabase.with { database in
            let a = try await database.queue("a")
            let b = try await database.queue("b")
            let heardByB = EventLog()
            let heardByA = EventLog()
            let listeners = [
                Task { for await event in b.foreignEvents() { heardByB.append(event) } },
                Task { for await event in a.foreignEvents() { heardByA.append(event) } },
            ]
            try await Task.sleep(for: .milliseconds(500))  // LISTEN established
            let id = try await a.insert(job()).id
            let claim = try await a.claim(owner: "a", limit: 1, lease: .seconds(30), maxAttempts: 3, nowMillis: now())
            let report = try JSONDecoder().decode(
                EpochReport.self, from: Data(#"{"epoch":1,"epochs":3,"loss":0.5,"elapsed_seconds":0.01}"#.utf8))
            a.recordProgress(jobID: id, report: report, owner: "a")
            // Progress is written behind the caller's back; an outcome recorded first would fence it off.
            for _ in 0..<100 where heardByB.progressCount(for: id) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            var done = try #require(claim.claimed.first)
            done.state = .succeeded
            #expect(try await a.finish(done, owner: "a"))
            for _ in 0..<100 where heardByB.states(for: id).last != .succeeded {
                try await Task.sleep(for: .milliseconds(50))
            }
            // One event per change, each carrying the job as it is when the listener reads it (so an
            // early one may already show a later state), in lifecycle order, ending with the outcome.
            let heard = heardByB.states(for: id)
            let rank: [JobState: Int] = [.queued: 0, .running: 1, .succeeded: 2]
            #expect(heard.count == 3 && heard.last == .succeeded, "\(heard)")
            #expect(heard.map { rank[$0] ?? -1 } == heard.map { rank[$0] ?? -1 }.sorted(), "\(heard)")
            #expect(heardByB.progressCount(for: id) == 1)
            #expect(heardByA.states(for: id).isEmpty && heardByA.progressCount(for: id) == 0, "a trainer skips its own")
            for listener in listeners { listener.cancel() }
            await a.close()
            await b.close()
        }
    }

    @Test("a trainer starting while another holds a job row locked does not wait for it (no DDL on a complete schema)")
    func restartDuringClaims() async throws {
        try await JobQueueTestDatabase.with { database in
            let a = try await database.queue("a")
            _ = try await a.insert(job())
            let connection = try await PostgresConnection.connect(
                configuration: database.location.connectionConfiguration(connectTimeout: .seconds(5)), id: 9,
                logger: JobQueueTestDatabase.logger)
            try await connection.query("BEGIN", logger: JobQueueTestDatabase.logger).collect()
            try await connection.query("UPDATE trainer_jobs SET owner = 'held'", logger: JobQueueTestDatabase.logger)
                .collect()
            let started = ContinuousClock.now
            let b = try await database.queue("b")
            #expect(ContinuousClock.now - started < .seconds(2), "migrate waited for a running trainer's transaction")
            try await connection.query("ROLLBACK", logger: JobQueueTestDatabase.logger).collect()
            try await connection.close()
            await a.close()
            await b.close()
        }
    }
}
