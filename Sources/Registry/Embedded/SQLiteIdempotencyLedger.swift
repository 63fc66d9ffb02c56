import GRDB
import ServiceKit

/// The embedded store's idempotency ledger: the `idempotency` table, read and written inside the
/// keyed write's own transaction (writes are serialised, so a look-up then an insert cannot race).
enum SQLiteIdempotencyLedger {
    /// The first outcome recorded under `request.key` (throwing when the key was used for another
    /// request), or nil when the key is new. Expired entries are dropped first.
    static func replay(_ db: Database, _ request: IdempotentRequest, at now: Int64) throws -> IdempotentReplay? {
        try db.execute(
            sql: "DELETE FROM idempotency WHERE created < ?", arguments: [now - IdempotentRequest.retentionMillis])
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT opcode, request_sha256, outcome FROM idempotency WHERE key = ?",
                arguments: [request.key])
        else { return nil }
        let stored = IdempotentRequest(key: request.key, opcode: row[0], requestSHA256: row[1])
        return try request.replay(of: stored, outcome: row[2])
    }

    /// Records `request` with the answer `outcome`.
    static func record(_ db: Database, _ request: IdempotentRequest, outcome: String, at now: Int64) throws {
        try db.execute(
            sql: "INSERT INTO idempotency (key, opcode, request_sha256, outcome, created) VALUES (?, ?, ?, ?, ?)",
            arguments: [request.key, request.opcode, request.requestSHA256, outcome, now])
    }
}
