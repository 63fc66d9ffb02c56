import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations recorded in `schema_migrations`.
///
/// It mirrors the SQLite schema (`RegistryMigrations` v1 + v2) table for table and index for
/// index, plus the one-row `event_counter` that hands out event sequence numbers in commit order.
/// Every compared or ordered TEXT column is `COLLATE "C"`, so comparisons and ordering are
/// byte-wise as in SQLite (digest-prefix ranges rely on it). Integers are BIGINT, reals DOUBLE
/// PRECISION, times milliseconds since the epoch.
///
/// Migrations run at start inside a session-level `pg_advisory_lock(PostgresMigrations.lockKey)`
/// on one connection: of two replicas starting at once, the second waits, then finds them applied.
enum PostgresMigrations {
    /// The advisory-lock key that serialises migrations ("churnmig" in ASCII).
    static let lockKey: Int64 = 0x6368_7572_6E6D_6967

    /// One migration: its number, name and statements (run in one transaction).
    struct Migration: Sendable {
        /// The version recorded in `schema_migrations`.
        var version: Int
        /// A short name.
        var name: String
        /// The statements, in order.
        var statements: [String]
    }

    /// Every migration, in order.
    static let all: [Migration] = [
        Migration(version: 1, name: "v1-registry", statements: v1),
        Migration(version: 2, name: "v2-dataset-dialect-profile", statements: v2),
        Migration(version: 3, name: "v3-idempotency", statements: v3),
    ]

    /// Applies the migrations `connection`'s database lacks, holding the migration lock; returns the
    /// versions it applied (empty when the schema was current).
    static func migrate(_ connection: PostgresConnection, logger: Logger, now: Int64) async throws -> [Int] {
        try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger).collect()
        do {
            let applied = try await pending(connection, logger: logger, now: now)
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).collect()
            return applied
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger).collect()
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger).collect()
            throw error
        }
    }

    private static func pending(_ connection: PostgresConnection, logger: Logger, now: Int64) async throws -> [Int] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INT PRIMARY KEY, name TEXT NOT NULL, applied BIGINT NOT NULL)
            """, logger: logger
        ).collect()
        var done = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
            .decode(Int.self)
        {
            done.insert(version)
        }
        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            try await connection.query("BEGIN", logger: logger).collect()
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
            }
            try await connection.query(
                "INSERT INTO schema_migrations (version, name, applied) VALUES (\(migration.version), \(migration.name), \(now))",
                logger: logger
            ).collect()
            try await connection.query("COMMIT", logger: logger).collect()
            logger.info(
                "applied PostgreSQL migration",
                metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }

    /// Datasets record their CSV dialect and data profile (JSON); older rows keep NULL.
    /// The idempotency ledger (wire.md §2.4), as in the SQLite schema: key → the keyed write's
    /// opcode, request digest and first answer (`PostgresIdempotencyLedger`).
    static let v3 = [
        """
        CREATE TABLE idempotency (
            key TEXT COLLATE "C" PRIMARY KEY,
            opcode INT NOT NULL,
            request_sha256 TEXT NOT NULL,
            outcome TEXT NOT NULL,
            created BIGINT NOT NULL
        )
        """,
        "CREATE INDEX idempotency_created ON idempotency (created)",
    ]

    static let v2 = [
        "ALTER TABLE datasets ADD COLUMN dialect_json TEXT",
        "ALTER TABLE datasets ADD COLUMN profile_json TEXT",
    ]

    /// The first schema.
    static let v1 = [
        """
        CREATE TABLE datasets (
            id BIGSERIAL PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL,
            sha256 TEXT COLLATE "C" NOT NULL,
            size BIGINT NOT NULL,
            rows BIGINT NOT NULL,
            columns TEXT NOT NULL,
            schema_json TEXT,
            schema_error TEXT,
            created BIGINT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            UNIQUE (name, sha256)
        )
        """,
        "CREATE INDEX datasets_sha256 ON datasets (sha256)",
        """
        CREATE TABLE model_names (
            name TEXT COLLATE "C" PRIMARY KEY,
            next_version BIGINT NOT NULL,
            created BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE model_versions (
            id BIGSERIAL PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL REFERENCES model_names (name),
            version BIGINT NOT NULL,
            bundle_sha256 TEXT COLLATE "C" NOT NULL,
            bundle_size BIGINT NOT NULL,
            dataset_sha256 TEXT COLLATE "C" NOT NULL,
            created BIGINT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            threshold DOUBLE PRECISION NOT NULL,
            hyperparameters TEXT NOT NULL,
            lineage TEXT NOT NULL,
            UNIQUE (name, version)
        )
        """,
        "CREATE INDEX model_versions_created ON model_versions (created)",
        "CREATE INDEX model_versions_name_created ON model_versions (name, created)",
        "CREATE INDEX model_versions_bundle ON model_versions (bundle_sha256)",
        "CREATE INDEX model_versions_dataset ON model_versions (dataset_sha256)",
        """
        CREATE TABLE tags (
            version_id BIGINT NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
            key TEXT COLLATE "C" NOT NULL,
            value TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (version_id, key)
        )
        """,
        "CREATE INDEX tags_key_value ON tags (key, value, version_id)",
        """
        CREATE TABLE metrics (
            version_id BIGINT NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
            key TEXT COLLATE "C" NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (version_id, key)
        )
        """,
        "CREATE INDEX metrics_key_value ON metrics (key, value, version_id)",
        """
        CREATE TABLE aliases (
            name TEXT COLLATE "C" NOT NULL,
            alias TEXT COLLATE "C" NOT NULL,
            version BIGINT NOT NULL,
            version_id BIGINT NOT NULL REFERENCES model_versions (id) ON DELETE RESTRICT,
            updated BIGINT NOT NULL,
            PRIMARY KEY (name, alias)
        )
        """,
        "CREATE INDEX aliases_version ON aliases (version_id)",
        """
        CREATE TABLE alias_history (
            id BIGSERIAL PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL,
            alias TEXT COLLATE "C" NOT NULL,
            from_version BIGINT,
            to_version BIGINT,
            who TEXT NOT NULL,
            created BIGINT NOT NULL
        )
        """,
        "CREATE INDEX alias_history_name ON alias_history (name, alias, id)",
        """
        CREATE TABLE deployments (
            instance TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            version BIGINT NOT NULL,
            first_seen BIGINT NOT NULL,
            last_seen BIGINT NOT NULL,
            PRIMARY KEY (instance, name)
        )
        """,
        "CREATE INDEX deployments_name ON deployments (name, version)",
        """
        CREATE TABLE events (
            seq BIGINT PRIMARY KEY,
            kind TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            payload TEXT NOT NULL,
            created BIGINT NOT NULL
        )
        """,
        "CREATE INDEX events_kind ON events (kind, seq)",
        """
        CREATE TABLE event_counter (
            id INT PRIMARY KEY CHECK (id = 1),
            seq BIGINT NOT NULL
        )
        """,
        "INSERT INTO event_counter (id, seq) VALUES (1, 0)",
    ]
}
