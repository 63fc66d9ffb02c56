/// One pushed dataset: a CSV blob under a name, described when it was pushed.
public struct DatasetRecord: Sendable, Equatable, Codable {
    /// The dataset name.
    public var name: String
    /// SHA-256 (hex) of the file bytes, its blob address.
    public var sha256: String
    /// File size in bytes.
    public var size: Int64
    /// Data rows (header excluded).
    public var rows: Int
    /// Column names, in file order.
    public var columns: [String]
    /// The inferred schema as JSON (ChurnML's `Schema`: columns with roles, target, positive label),
    /// or nil when no target column could be inferred.
    public var schema: String?
    /// Why the schema could not be inferred, when `schema` is nil.
    public var schemaError: String?
    /// When it was pushed, in milliseconds since the epoch.
    public var createdMillis: Int64
    /// The pusher's description.
    public var description: String
    /// How the file was written, as JSON (ChurnML's `CSVDialect`: `{"delimiter": ",", "decimal_mark": ".",
    /// "encoding": "utf-8", "byte_order_mark": false, "compression": "none", "delimiter_detected": true}`);
    /// nil for datasets pushed before registries recorded it.
    public var dialect: String?
    /// The data profile, as JSON (ChurnML's `DataProfile`: rows, columns with role, missing, distinct,
    /// range or top values, target balance, flags); nil for datasets pushed before registries recorded it.
    public var profile: String?

    /// When it was pushed, ISO 8601 UTC.
    public var created: String { Timestamp.iso8601(millis: createdMillis) }

    /// `name@sha256` (the full, unambiguous reference).
    public var reference: String { "\(name)@\(sha256)" }

    public init(
        name: String, sha256: String, size: Int64, rows: Int, columns: [String], schema: String?, schemaError: String?,
        createdMillis: Int64, description: String,
        dialect: String? = nil, profile: String? = nil
    ) {
        self.name = name
        self.sha256 = sha256
        self.size = size
        self.rows = rows
        self.columns = columns
        self.schema = schema
        self.schemaError = schemaError
        self.createdMillis = createdMillis
        self.description = description
        self.dialect = dialect
        self.profile = profile
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case name, sha256, size, rows, columns, schema
        case schemaError = "schema_error"
        case createdMillis = "created_ms"
        case description, dialect, profile
    }
}
