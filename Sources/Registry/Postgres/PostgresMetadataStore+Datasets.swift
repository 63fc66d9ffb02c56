import PostgresNIO
import Wire

extension PostgresMetadataStore {
    /// Indexes a dataset and logs `dataset.pushed`; when `(name, sha256)` is already indexed,
    /// returns that record and logs nothing.
    public func insertDataset(_ record: DatasetRecord) async throws -> DatasetRecord {
        let columnsJSON = try JSONText.encode(record.columns)
        return try await keyedWrite(at: record.createdMillis) { transaction in
            let inserted = try await transaction.rows(
                """
                INSERT INTO datasets (name, sha256, size, rows, columns, schema_json, schema_error, created, description,
                    dialect_json, profile_json)
                VALUES (\(record.name), \(record.sha256), \(record.size), \(record.rows), \(columnsJSON), \(record.schema),
                    \(record.schemaError), \(record.createdMillis), \(record.description), \(record.dialect), \(record.profile))
                ON CONFLICT (name, sha256) DO NOTHING
                RETURNING id
                """)
            guard !inserted.isEmpty else {
                let existing = try await transaction.rows(
                    "SELECT \(unescaped: PostgresRows.datasetColumns) FROM datasets WHERE name = \(record.name) AND sha256 = \(record.sha256)"
                )
                guard let row = existing.first else {
                    throw RegistryError.database("dataset \(record.reference) vanished while being indexed")
                }
                return try PostgresRows.dataset(row)
            }
            transaction.queueEvent(
                .datasetPushed, name: record.name, payload: try EventPayload.datasetPushed(record),
                at: record.createdMillis)
            return record
        }
    }

    /// Every dataset push, by name then newest first; only those under `name` when given.
    public func datasets(name: String?) async throws -> [DatasetRecord] {
        let logger = logger
        return try await withConnection { connection in
            let query: PostgresQuery =
                if let name {
                    "SELECT \(unescaped: PostgresRows.datasetColumns) FROM datasets WHERE name = \(name) ORDER BY name, id DESC"
                } else {
                    "SELECT \(unescaped: PostgresRows.datasetColumns) FROM datasets ORDER BY name, id DESC"
                }
            return try await connection.query(query, logger: logger).collect().map(PostgresRows.dataset)
        }
    }

    /// The dataset a parsed reference names: the latest push under the name, or the push whose
    /// digest starts with the prefix (more than one such push throws `ambiguous`).
    public func dataset(_ reference: DatasetReference) async throws -> DatasetRecord {
        let logger = logger
        return try await withConnection { connection in
            switch reference {
            case .latest(let name):
                let rows = try await connection.query(
                    "SELECT \(unescaped: PostgresRows.datasetColumns) FROM datasets WHERE name = \(name) ORDER BY id DESC LIMIT 1",
                    logger: logger
                ).collect()
                guard let row = rows.first else {
                    throw RegistryError.notFound(kind: "dataset", reference: reference.description)
                }
                return try PostgresRows.dataset(row)
            case .digest(let name, let prefix):
                // Hex digits all sort below "g" (byte-wise, COLLATE "C"): [prefix, prefix + "g") is the prefix range.
                let records = try await connection.query(
                    """
                    SELECT \(unescaped: PostgresRows.datasetColumns) FROM datasets
                    WHERE name = \(name) AND sha256 >= \(prefix) AND sha256 < \(prefix + "g") ORDER BY id DESC LIMIT 5
                    """, logger: logger
                ).collect().map(PostgresRows.dataset)
                guard let first = records.first else {
                    throw RegistryError.notFound(kind: "dataset", reference: reference.description)
                }
                guard records.count == 1 else {
                    throw RegistryError.ambiguous(
                        reference: reference.description, candidates: records.map(\.reference))
                }
                return first
            }
        }
    }
}
