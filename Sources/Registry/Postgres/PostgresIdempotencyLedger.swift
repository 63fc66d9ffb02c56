import PostgresNIO
import ServiceKit

/// The PostgreSQL store's idempotency ledger: the `idempotency` table. A keyed write looks its key
/// up first (a retry of a committed write finds it: the first answer, nothing applied), and records
/// key and answer in its last statement (`PostgresWrite.appendQueuedEvents`), so the normal path
/// costs one primary-key look-up. A retry that runs while the first attempt is still in flight
/// misses the look-up, then waits on the first attempt's key at the insert; when that commits, the
/// insert fails (`IdempotencyConflict`), this transaction rolls back, and the first answer is read.
enum PostgresIdempotencyLedger {
    /// Throws `IdempotentReplay` with the first answer when `request.key` is recorded (or
    /// `invalidRequest` when it was recorded for another request); returns when it is new.
    static func check(_ connection: PostgresConnection, logger: Logger, _ request: IdempotentRequest) async throws {
        guard
            let row = try await connection.query(
                "SELECT opcode, request_sha256, outcome FROM idempotency WHERE key = \(request.key)", logger: logger
            ).collect().first
        else { return }
        let (opcode, digest, outcome) = try row.decode((Int32, String, String).self)
        throw try request.replay(
            of: IdempotentRequest(key: request.key, opcode: UInt16(truncatingIfNeeded: opcode), requestSHA256: digest),
            outcome: outcome)
    }
}

/// The keyed request's key was recorded by another transaction that committed first.
struct IdempotencyConflict: Error, Sendable {
    /// The key.
    var key: String
}
