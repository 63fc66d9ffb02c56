import Wire
import ChurnML
import GRDB

extension RegistryStore {
    /// Stores a CSV file under `name`: checks it reads as a table, describes it (rows, columns,
    /// inferred schema, dialect, profile), stores the blob durably, then indexes it and logs `dataset.pushed` in one
    /// transaction. Pushing the same bytes under the same name again returns the existing record
    /// and logs nothing (so a client may safely retry). `delimiter` forces the CSV delimiter.
    @discardableResult
    public func pushDataset(name: String, bytes: [UInt8], description: String = "", delimiter: String? = nil) throws -> DatasetRecord {
        try NameRules.validateName(name, kind: "dataset")
        try NameRules.validateText(description, what: "description")
        let digest = SHA256Digest.hex(of: bytes)
        let summary = try DatasetDescriber.describe(bytes, name: name, delimiter: delimiter)
        return try pins.withPin(digest) {
            try blobs.write(bytes, digest: digest)
            return try indexDataset(name: name, digest: digest, size: Int64(bytes.count), summary: summary, description: description)
        }
    }

    /// Indexes a dataset whose blob was already stored by a chunked upload: reads it back
    /// (verified), describes it, and indexes it as `pushDataset` does. `delimiter` forces the CSV delimiter.
    @discardableResult
    public func registerDataset(
        name: String, sha256: String, description: String = "", delimiter: String? = nil
    ) throws -> DatasetRecord {
        try NameRules.validateName(name, kind: "dataset")
        try NameRules.validateText(description, what: "description")
        let digest = try NameRules.normalizedDigest(sha256)
        return try pins.withPin(digest) {
            let bytes = try blobs.read(digest)
            let summary = try DatasetDescriber.describe(bytes, name: name, delimiter: delimiter)
            return try indexDataset(name: name, digest: digest, size: Int64(bytes.count), summary: summary, description: description)
        }
    }

    /// Every dataset push, by name then newest first; only those under `name` when given.
    public func datasets(name: String? = nil) throws -> [DatasetRecord] {
        if let name { try NameRules.validateName(name, kind: "dataset") }
        return try index.read { db in
            let sql = "SELECT \(Self.datasetColumns) FROM datasets"
                + (name == nil ? "" : " WHERE name = ?") + " ORDER BY name, id DESC"
            let arguments: StatementArguments = name.map { [$0] } ?? []
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.datasetRecord)
        }
    }

    /// The dataset a reference names: `name` (latest push) or `name@prefix` (digest prefix of at
    /// least 4 hex characters; an ambiguous prefix is an error listing the matches).
    public func dataset(_ reference: String) throws -> DatasetRecord {
        let parsed = try DatasetReference(parsing: reference)
        return try index.read { db in
            switch parsed {
            case .latest(let name):
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? ORDER BY id DESC LIMIT 1",
                    arguments: [name])
                guard let row else { throw RegistryError.notFound(kind: "dataset", reference: reference) }
                return try Self.datasetRecord(row)
            case .digest(let name, let prefix):
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? AND sha256 >= ? AND sha256 < ? ORDER BY id DESC LIMIT 5",
                    arguments: [name, prefix, prefix + "g"])
                let records = try rows.map(Self.datasetRecord)
                guard let first = records.first else { throw RegistryError.notFound(kind: "dataset", reference: reference) }
                guard records.count == 1 else {
                    throw RegistryError.ambiguous(reference: parsed.description, candidates: records.map(\.reference))
                }
                return first
            }
        }
    }

    /// The dataset's record and its bytes (verified against the SHA-256; a damaged blob throws
    /// `RegistryError.corrupted`).
    public func fetchDataset(_ reference: String) throws -> (record: DatasetRecord, bytes: [UInt8]) {
        let record = try dataset(reference)
        return (record, try blobs.read(record.sha256))
    }

    private func indexDataset(
        name: String, digest: String, size: Int64, summary: DatasetDescription, description: String
    ) throws -> DatasetRecord {
        let now = clock()
        return try index.write { db in
            if let existing = try Row.fetchOne(
                db, sql: "SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? AND sha256 = ?",
                arguments: [name, digest])
            {
                return try Self.datasetRecord(existing)
            }
            let record = DatasetRecord(
                name: name, sha256: digest, size: size, rows: summary.rows, columns: summary.columns,
                schema: summary.schema, schemaError: summary.schemaError, createdMillis: now, description: description,
                dialect: summary.dialect, profile: summary.profile)
            try db.cachedStatement(
                sql: """
                    INSERT INTO datasets (name, sha256, size, rows, columns, schema_json, schema_error, created, description,
                        dialect_json, profile_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                name, digest, size, summary.rows, try JSONText.encode(summary.columns), summary.schema,
                summary.schemaError, now, description, summary.dialect, summary.profile,
            ])
            try Self.appendEvent(
                db, kind: .datasetPushed, name: name,
                payload: [
                    "sha256": .string(digest), "size": .integer(size), "rows": .integer(Int64(summary.rows)),
                    "columns": .integer(Int64(summary.columns.count)),
                ], at: now)
            return record
        }
    }

    /// The dataset columns `datasetRecord` reads, in order.
    static let datasetColumns =
        "name, sha256, size, rows, columns, schema_json, schema_error, created, description, dialect_json, profile_json"

    /// A dataset record from a row of `datasetColumns`.
    static func datasetRecord(_ row: Row) throws -> DatasetRecord {
        let columnsJSON: String = try row.decode(atIndex: 4)
        let columns: [String]
        do {
            columns = try JSONDecoderBox.decode([String].self, from: columnsJSON)
        } catch {
            throw RegistryError.database("unreadable column list for dataset \(String(describing: row[0]))")
        }
        return DatasetRecord(
            name: try row.decode(atIndex: 0), sha256: try row.decode(atIndex: 1), size: try row.decode(atIndex: 2),
            rows: try row.decode(atIndex: 3), columns: columns, schema: try row.decode(atIndex: 5),
            schemaError: try row.decode(atIndex: 6), createdMillis: try row.decode(atIndex: 7),
            description: try row.decode(atIndex: 8), dialect: try row.decode(atIndex: 9), profile: try row.decode(atIndex: 10))
    }
}
