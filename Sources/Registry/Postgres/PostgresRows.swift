import Logging
import PostgresNIO
import Wire

/// Reading PostgreSQL rows into registry records (the same columns, in the same order, as the
/// SQLite store reads).
enum PostgresRows {
    /// The dataset columns `dataset(_:)` reads, in order.
    static let datasetColumns =
        "name, sha256, size, rows, columns, schema_json, schema_error, created, description, dialect_json, profile_json"

    /// A dataset record from a row of `datasetColumns`.
    static func dataset(_ row: PostgresRow) throws -> DatasetRecord {
        let (name, sha256, size, rows, columnsJSON, schema, schemaError, created, description, dialect, profile) =
            try row.decode((String, String, Int64, Int, String, String?, String?, Int64, String, String?, String?).self)
        let columns: [String]
        do {
            columns = try JSONDecoderBox.decode([String].self, from: columnsJSON)
        } catch {
            throw RegistryError.database("unreadable column list for dataset \(name)")
        }
        return DatasetRecord(
            name: name, sha256: sha256, size: size, rows: rows, columns: columns, schema: schema,
            schemaError: schemaError, createdMillis: created, description: description, dialect: dialect, profile: profile)
    }

    /// A model version (without tags, metrics and aliases) from a row of `QueryCompiler.columns`.
    static func modelVersion(_ row: PostgresRow) throws -> ModelVersion {
        let (id, name, version, bundle, size, dataset, created, description, threshold, hyperparameters, lineage) =
            try row.decode((Int64, String, Int, String, Int64, String, Int64, String, Double, String, String).self)
        return ModelVersion(
            name: name, version: version, bundleSHA256: bundle, bundleSize: size, datasetSHA256: dataset,
            createdMillis: created, description: description, threshold: threshold, hyperparameters: hyperparameters,
            lineage: lineage, tags: [:], metrics: [:], aliases: [], rowID: id)
    }

    /// Fills in the tags, metrics and aliases (sorted) of `versions`: three queries in all.
    static func attachDetails(_ connection: PostgresConnection, logger: Logger, to versions: inout [ModelVersion]) async throws {
        guard !versions.isEmpty else { return }
        var position: [Int64: Int] = [:]
        for (offset, version) in versions.enumerated() { position[version.rowID] = offset }
        let ids = versions.map(\.rowID)
        for row in try await connection.query(
            "SELECT version_id, key, value FROM tags WHERE version_id = ANY(\(ids))", logger: logger
        ).collect() {
            let (id, key, value) = try row.decode((Int64, String, String).self)
            if let offset = position[id] { versions[offset].tags[key] = value }
        }
        for row in try await connection.query(
            "SELECT version_id, key, value FROM metrics WHERE version_id = ANY(\(ids))", logger: logger
        ).collect() {
            let (id, key, value) = try row.decode((Int64, String, Double).self)
            if let offset = position[id] { versions[offset].metrics[key] = value }
        }
        for row in try await connection.query(
            "SELECT version_id, alias FROM aliases WHERE version_id = ANY(\(ids)) ORDER BY alias", logger: logger
        ).collect() {
            let (id, alias) = try row.decode((Int64, String).self)
            if let offset = position[id] { versions[offset].aliases.append(alias) }
        }
    }
}
