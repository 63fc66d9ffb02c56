import GRDB
import Wire

extension SQLiteMetadataStore {
    public func insertDataset(_ record: DatasetRecord) async throws -> DatasetRecord {
        try await index.keyedWrite(at: record.createdMillis) { db in
            if let existing = try Row.fetchOne(
                db, sql: "SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? AND sha256 = ?",
                arguments: [record.name, record.sha256])
            {
                return try Self.datasetRecord(existing)
            }
            try db.cachedStatement(
                sql: """
                    INSERT INTO datasets (name, sha256, size, rows, columns, schema_json, schema_error, created, description,
                        dialect_json, profile_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                record.name, record.sha256, record.size, record.rows, try JSONText.encode(record.columns),
                record.schema,
                record.schemaError, record.createdMillis, record.description, record.dialect, record.profile,
            ])
            try Self.appendEvent(
                db, kind: .datasetPushed, name: record.name, payload: try EventPayload.datasetPushed(record),
                at: record.createdMillis)
            return record
        }
    }

    public func datasets(name: String?) async throws -> [DatasetRecord] {
        let sql =
            "SELECT \(Self.datasetColumns) FROM datasets" + (name == nil ? "" : " WHERE name = ?")
            + " ORDER BY name, id DESC"
        let arguments: StatementArguments = name.map { [$0] } ?? []
        return try await index.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.datasetRecord)
        }
    }

    public func dataset(_ reference: DatasetReference) async throws -> DatasetRecord {
        try await index.read { db in
            switch reference {
            case .latest(let name):
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? ORDER BY id DESC LIMIT 1",
                    arguments: [name])
                guard let row else { throw RegistryError.notFound(kind: "dataset", reference: reference.description) }
                return try Self.datasetRecord(row)
            case .digest(let name, let prefix):
                let rows = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? AND sha256 >= ? AND sha256 < ? ORDER BY id DESC LIMIT 5",
                    arguments: [name, prefix, prefix + "g"])
                return try DatasetRecord.single(rows.map(Self.datasetRecord), for: reference)
            }
        }
    }

    /// The dataset columns `datasetRecord` reads, in order.
    static let datasetColumns =
        "name, sha256, size, rows, columns, schema_json, schema_error, created, description, dialect_json, profile_json"

    /// A dataset record from a row of `datasetColumns`.
    static func datasetRecord(_ row: Row) throws -> DatasetRecord {
        DatasetRecord(
            name: try row.decode(atIndex: 0), sha256: try row.decode(atIndex: 1), size: try row.decode(atIndex: 2),
            rows: try row.decode(atIndex: 3),
            columns: try DatasetRecord.columnList(fromJSON: try row.decode(atIndex: 4)),
            schema: try row.decode(atIndex: 5), schemaError: try row.decode(atIndex: 6),
            createdMillis: try row.decode(atIndex: 7), description: try row.decode(atIndex: 8),
            dialect: try row.decode(atIndex: 9), profile: try row.decode(atIndex: 10))
    }
}
