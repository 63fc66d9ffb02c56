import GRDB

/// The index schema, as GRDB migrations (each runs once, in order, in its own transaction).
///
/// Times are integer milliseconds since the epoch. `model_names.next_version` is the counter that
/// makes versions monotonic and never reused: it only grows, inside the same transaction that
/// inserts the version, so a rolled-back publish leaves no gap and a deleted version's number is
/// never handed out again.
enum RegistryMigrations {
    /// The migrator holding every migration.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-registry") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-dataset-dialect-profile") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-idempotency") { db in
            try db.execute(sql: v3)
        }
        return migrator
    }

    /// The idempotency ledger (wire.md §2.4): key → the keyed write's opcode, request digest and
    /// first answer, recorded in the write's own transaction (`SQLiteIdempotencyLedger`).
    static let v3 = """
        CREATE TABLE idempotency (
            key TEXT PRIMARY KEY,
            opcode INTEGER NOT NULL,
            request_sha256 TEXT NOT NULL,
            outcome TEXT NOT NULL,
            created INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX idempotency_created ON idempotency (created);
        """

    /// Datasets record how the file was written (`CSVDialect` JSON) and its data profile (`DataProfile`
    /// JSON); rows indexed before this migration keep NULL in both.
    static let v2 = """
        ALTER TABLE datasets ADD COLUMN dialect_json TEXT;
        ALTER TABLE datasets ADD COLUMN profile_json TEXT;
        """

    /// The first schema.
    static let v1 = """
        CREATE TABLE datasets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            columns TEXT NOT NULL,
            schema_json TEXT,
            schema_error TEXT,
            created INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            UNIQUE (name, sha256)
        );
        CREATE INDEX datasets_sha256 ON datasets (sha256);

        CREATE TABLE model_names (
            name TEXT PRIMARY KEY,
            next_version INTEGER NOT NULL,
            created INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE model_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL REFERENCES model_names (name),
            version INTEGER NOT NULL,
            bundle_sha256 TEXT NOT NULL,
            bundle_size INTEGER NOT NULL,
            dataset_sha256 TEXT NOT NULL,
            created INTEGER NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            threshold REAL NOT NULL,
            hyperparameters TEXT NOT NULL,
            lineage TEXT NOT NULL,
            UNIQUE (name, version)
        );
        CREATE INDEX model_versions_created ON model_versions (created);
        CREATE INDEX model_versions_name_created ON model_versions (name, created);
        CREATE INDEX model_versions_bundle ON model_versions (bundle_sha256);
        CREATE INDEX model_versions_dataset ON model_versions (dataset_sha256);

        CREATE TABLE tags (
            version_id INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (version_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX tags_key_value ON tags (key, value, version_id);

        CREATE TABLE metrics (
            version_id INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (version_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX metrics_key_value ON metrics (key, value, version_id);

        CREATE TABLE aliases (
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            version_id INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE RESTRICT,
            updated INTEGER NOT NULL,
            PRIMARY KEY (name, alias)
        ) WITHOUT ROWID;
        CREATE INDEX aliases_version ON aliases (version_id);

        CREATE TABLE alias_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            from_version INTEGER,
            to_version INTEGER,
            who TEXT NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE INDEX alias_history_name ON alias_history (name, alias, id);

        CREATE TABLE deployments (
            instance TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            PRIMARY KEY (instance, name)
        ) WITHOUT ROWID;
        CREATE INDEX deployments_name ON deployments (name, version);

        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            payload TEXT NOT NULL,
            created INTEGER NOT NULL
        );
        CREATE INDEX events_kind ON events (kind, seq);
        """
}
