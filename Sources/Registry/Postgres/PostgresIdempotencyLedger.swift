import PostgresNIO
import ServiceKit

/// The PostgreSQL store's idempotency ledger: the `idempotency` table, claimed as the first
/// statement of the keyed write's transaction and given its answer as the last change before the
/// events. A retry that reaches another replica while the first attempt is still running waits on
/// the claimed key's row lock, then finds the committed answer (or claims the key itself when the
/// first attempt rolled back).
enum PostgresIdempotencyLedger {
    /// Claims `request.key` for this transaction (dropping up to 100 expired entries that no other
    /// transaction is dropping, so claims never wait on each other's clean-up); throws
    /// `IdempotentReplay` with the first answer when the key was applied before, or
    /// `invalidRequest` when it was used for another request.
    static func claim(_ transaction: PostgresWrite, _ request: IdempotentRequest, at now: Int64) async throws {
        let cutoff = now - IdempotentRequest.retentionMillis
        let claimed = try await transaction.rows(
            """
            WITH expired AS (
                DELETE FROM idempotency WHERE key IN (
                    SELECT key FROM idempotency WHERE created < \(cutoff) AND key <> \(request.key)
                    LIMIT 100 FOR UPDATE SKIP LOCKED))
            INSERT INTO idempotency (key, opcode, request_sha256, outcome, created)
            VALUES (\(request.key), \(Int32(request.opcode)), \(request.requestSHA256), '', \(now))
            ON CONFLICT (key) DO NOTHING RETURNING key
            """)
        guard claimed.isEmpty else { return }
        guard let row = try await transaction.rows(
            "SELECT opcode, request_sha256, outcome FROM idempotency WHERE key = \(request.key)"
        ).first else {
            throw RegistryError.database("idempotency key \(request.key) conflicted but is not stored")
        }
        let (opcode, digest, outcome) = try row.decode((Int32, String, String).self)
        throw try request.replay(
            of: IdempotentRequest(key: request.key, opcode: UInt16(truncatingIfNeeded: opcode), requestSHA256: digest), outcome: outcome)
    }

    /// Stores the answer of the claimed key.
    static func record(_ transaction: PostgresWrite, _ request: IdempotentRequest, outcome: String) async throws {
        try await transaction.rows("UPDATE idempotency SET outcome = \(outcome) WHERE key = \(request.key)")
    }
}
