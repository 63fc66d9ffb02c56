import NIOCore

/// ModelInfo response (wire.md §13.3): the model the predictor serves now.
///
/// Body: `string model`, `string version`, `string sha256` (hex SHA-256 of the bundle file),
/// `u64 generation` (1 for the first model this process loaded, +1 per swap), `u64 loadedAtMillis`
/// (Unix time), `string source`, `f64 threshold`, `string target`, `string positiveLabel`,
/// `u8 unseenPolicy` (1 zeros, 2 error), `list<field> fields (≤ 1,024)`,
/// `list<(string name, f64 value)> metrics (≤ 256)`, `list<(string key, string value)> lineage (≤ 256)`.
public struct ModelInfoResponse: WireMessage {
    /// A named number (a held-out metric).
    public struct Metric: Hashable, Sendable {
        /// Metric name (`accuracy`, `roc_auc`, …).
        public var name: String
        /// Its value.
        public var value: Double
        /// Creates a metric entry.
        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// A named text value (a lineage entry).
    public struct Entry: Hashable, Sendable {
        /// Key (`created`, `dataset_sha256`, …).
        public var key: String
        /// Value.
        public var value: String
        /// Creates an entry.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Largest number of fields, metrics or lineage entries.
    public static let maxFields = 1024
    /// Largest number of metrics or lineage entries.
    public static let maxEntries = 256

    /// Model name.
    public var model: String
    /// Model version (every Predict response names the version that produced it).
    public var version: String
    /// Hex SHA-256 of the bundle file.
    public var sha256: String
    /// 1 for the first model this process loaded, incremented at every swap.
    public var generation: UInt64
    /// When this version was loaded, milliseconds since the Unix epoch.
    public var loadedAtMillis: UInt64
    /// Where the model came from (file path, registry alias…).
    public var source: String
    /// Probability at or above which a row is labelled as churning.
    public var threshold: Double
    /// The target column the model predicts.
    public var target: String
    /// The target value meaning "churned".
    public var positiveLabel: String
    /// The model's unseen-category policy (``PredictRequest/UnseenPolicy/zeros`` or `.error`).
    public var unseenPolicy: PredictRequest.UnseenPolicy
    /// The model's input columns, in encoding order.
    public var fields: [ModelInfoField]
    /// Held-out test metrics (empty when the model was trained without a test split).
    public var metrics: [Metric]
    /// Provenance: dataset digest, creation time, tool version, seed…
    public var lineage: [Entry]

    public init(
        model: String, version: String, sha256: String, generation: UInt64, loadedAtMillis: UInt64, source: String,
        threshold: Double, target: String, positiveLabel: String, unseenPolicy: PredictRequest.UnseenPolicy,
        fields: [ModelInfoField], metrics: [Metric], lineage: [Entry]
    ) {
        self.model = model
        self.version = version
        self.sha256 = sha256
        self.generation = generation
        self.loadedAtMillis = loadedAtMillis
        self.source = source
        self.threshold = threshold
        self.target = target
        self.positiveLabel = positiveLabel
        self.unseenPolicy = unseenPolicy
        self.fields = fields
        self.metrics = metrics
        self.lineage = lineage
    }

    public init(from reader: inout WireReader) throws {
        model = try reader.string("model", maxLength: 1024)
        version = try reader.string("version", maxLength: 1024)
        sha256 = try reader.string("sha256", maxLength: 64)
        generation = try reader.integer("generation")
        loadedAtMillis = try reader.integer("loadedAtMillis")
        source = try reader.string("source")
        threshold = try reader.double("threshold")
        target = try reader.string("target", maxLength: PredictColumn.maxNameLength)
        positiveLabel = try reader.string("positiveLabel")
        let raw: UInt8 = try reader.integer("unseenPolicy")
        guard let policy = PredictRequest.UnseenPolicy(rawValue: raw), policy != .modelDefault else {
            throw WireError.invalidValue(field: "unseenPolicy", value: UInt64(raw))
        }
        unseenPolicy = policy
        fields = try reader.list("fields", maxCount: Self.maxFields, minimumItemSize: 18) {
            try ModelInfoField(from: &$0)
        }
        metrics = try reader.list("metrics", maxCount: Self.maxEntries, minimumItemSize: 12) {
            Metric(name: try $0.string("metrics[].name", maxLength: 256), value: try $0.double("metrics[].value"))
        }
        lineage = try reader.list("lineage", maxCount: Self.maxEntries, minimumItemSize: 8) {
            Entry(key: try $0.string("lineage[].key", maxLength: 256), value: try $0.string("lineage[].value"))
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(model)
        buffer.writeWireString(version)
        buffer.writeWireString(sha256)
        buffer.writeMultipleIntegers(generation, loadedAtMillis)
        buffer.writeWireString(source)
        buffer.writeWireDouble(threshold)
        buffer.writeWireString(target)
        buffer.writeWireString(positiveLabel)
        buffer.writeInteger(unseenPolicy.rawValue)
        buffer.writeWireList(fields) { $1.encode(into: &$0) }
        buffer.writeWireList(metrics) {
            $0.writeWireString($1.name)
            $0.writeWireDouble($1.value)
        }
        buffer.writeWireList(lineage) {
            $0.writeWireString($1.key)
            $0.writeWireString($1.value)
        }
    }
}
