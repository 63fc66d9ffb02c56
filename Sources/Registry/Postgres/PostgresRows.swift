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
            schemaError: schemaError, createdMillis: created, description: description, dialect: dialect,
            profile: profile)
    }

    /// The model-version columns every read selects: `QueryCompiler.columnsWithDetails`.
    static let versionColumns = QueryCompiler.columnsWithDetails

    /// A model version, with its tags, metrics and aliases, from a row of `versionColumns`.
    static func modelVersion(_ row: PostgresRow) throws -> ModelVersion {
        let (
            id, name, version, bundle, size, dataset, created, description, threshold, hyperparameters, lineage,
            tagKeys, tagValues, metricKeys, metricValues, aliases
        ) =
            try row.decode(
                (
                    Int64, String, Int, String, Int64, String, Int64, String, Double, String, String,
                    [String], [String], [String], [Double], [String]
                ).self)
        guard tagKeys.count == tagValues.count, metricKeys.count == metricValues.count else {
            throw RegistryError.database("model version \(name)@\(version) has mismatched tag or metric arrays")
        }
        return ModelVersion(
            name: name, version: version, bundleSHA256: bundle, bundleSize: size, datasetSHA256: dataset,
            createdMillis: created, description: description, threshold: threshold, hyperparameters: hyperparameters,
            lineage: lineage, tags: Dictionary(zip(tagKeys, tagValues)) { _, last in last },
            metrics: Dictionary(zip(metricKeys, metricValues)) { _, last in last }, aliases: aliases, rowID: id)
    }
}
