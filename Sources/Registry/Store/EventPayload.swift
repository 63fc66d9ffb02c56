import ChurnML
import Wire

/// The JSON payload each kind of registry event carries (wire.md §8), built in one place so that
/// every ``MetadataStore`` logs the same events. Payloads are ChurnML's ``JSONValue`` written by
/// ``JSONText`` (sorted keys).
enum EventPayload {
    /// `dataset.pushed`.
    static func datasetPushed(_ record: DatasetRecord) throws -> String {
        try JSONText.encode(
            JSONValue.object([
                "sha256": .string(record.sha256), "size": .integer(Int(record.size)), "rows": .integer(record.rows),
                "columns": .integer(record.columns.count),
            ]))
    }

    /// `model.published`.
    static func modelPublished(_ version: ModelVersion) throws -> String {
        try JSONText.encode(
            JSONValue.object([
                "version": .integer(version.version), "bundle_sha256": .string(version.bundleSHA256),
                "dataset_sha256": .string(version.datasetSHA256),
                "metrics": .object(JSONObject(version.metrics.mapValues { .double($0) })),
            ]))
    }

    /// `model.deleted`.
    static func modelDeleted(_ version: ModelVersion, who: String) throws -> String {
        try JSONText.encode(
            JSONValue.object([
                "version": .integer(version.version), "bundle_sha256": .string(version.bundleSHA256),
                "who": .string(who),
            ]))
    }

    /// `alias.moved`.
    static func aliasMoved(_ change: AliasChange) throws -> String {
        try JSONText.encode(
            JSONValue.object([
                "alias": .string(change.alias), "from": .optional(change.fromVersion),
                "to": .optional(change.toVersion),
                "who": .string(change.who),
            ]))
    }
}
