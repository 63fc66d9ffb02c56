/// The shared job queue's tables (prefixed `trainer_`, so the queue may live in the registry's
/// database). Created with `IF NOT EXISTS` under a transaction-level advisory lock, so trainers
/// starting together do not race; skipped without any lock once the last object exists.
enum PostgresJobSchema {
    /// The advisory-lock key that serialises creating the tables ("churntrn" in ASCII).
    static let lockKey: Int64 = 0x6368_7572_6E74_726E

    /// The object the statements create last: when it exists, the schema is complete.
    static let lastObject = "trainer_idempotency_created"

    /// The statements, in order.
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS trainer_jobs (
            id BIGSERIAL PRIMARY KEY,
            state TEXT NOT NULL,
            record TEXT NOT NULL,
            owner TEXT,
            lease_until TIMESTAMPTZ,
            cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
            progress TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS trainer_jobs_state ON trainer_jobs (state, id)",
        "CREATE TABLE IF NOT EXISTS trainer_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS trainer_idempotency (
            key TEXT PRIMARY KEY,
            opcode INT NOT NULL,
            request_sha256 TEXT NOT NULL,
            job_id BIGINT NOT NULL,
            created BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS trainer_idempotency_created ON trainer_idempotency (created)",
    ]
}
