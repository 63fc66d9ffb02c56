import NIOCore

/// Predict response (wire.md §13.2): per row the churn probability and the label at the model's
/// threshold, optionally the top factors, plus the model version that produced them.
///
/// Body: `string model`, `string version`, `f64 threshold`, `list<f32> probabilities`,
/// `list<bool> labels`, `list<string> factorColumns (≤ 1,024)`,
/// `list<list<factor>> factors` (one list per row, or none without `explain`),
/// `list<warning> warnings`.
public struct PredictResponse: WireMessage {
    /// Largest number of distinct factor columns.
    public static let maxFactorColumns = 1024

    /// Name of the model that answered.
    public var model: String
    /// Version of the model that answered (every row of one response comes from this version).
    public var version: String
    /// Probability at or above which a row is labelled as churning.
    public var threshold: Double
    /// Churn probability per row, in request order.
    public var probabilities: [Float]
    /// `probability ≥ threshold` per row.
    public var labels: [Bool]
    /// The original column names that ``factors`` refer to by index.
    public var factorColumns: [String]
    /// Per row, the largest factors first (empty when no explanation was asked for).
    public var factors: [[PredictFactor]]
    /// Values encoded with a fallback (unseen categories under the `zeros` policy).
    public var warnings: [PredictWarning]

    public init(
        model: String, version: String, threshold: Double, probabilities: [Float], labels: [Bool],
        factorColumns: [String] = [], factors: [[PredictFactor]] = [], warnings: [PredictWarning] = []
    ) {
        self.model = model
        self.version = version
        self.threshold = threshold
        self.probabilities = probabilities
        self.labels = labels
        self.factorColumns = factorColumns
        self.factors = factors
        self.warnings = warnings
    }

    public init(from reader: inout WireReader) throws {
        model = try reader.string("model", maxLength: 1024)
        version = try reader.string("version", maxLength: 1024)
        threshold = try reader.double("threshold")
        probabilities = try reader.list("probabilities", maxCount: PredictRequest.decodeRowBound, minimumItemSize: 4) {
            try $0.float("probabilities[]")
        }
        labels = try reader.list("labels", maxCount: PredictRequest.decodeRowBound, minimumItemSize: 1) {
            try $0.bool("labels[]")
        }
        factorColumns = try reader.list("factorColumns", maxCount: Self.maxFactorColumns, minimumItemSize: 4) {
            try $0.string("factorColumns[]", maxLength: PredictColumn.maxNameLength)
        }
        factors = try reader.list("factors", maxCount: PredictRequest.decodeRowBound, minimumItemSize: 4) {
            try $0.list("factors[]", maxCount: Self.maxFactorColumns, minimumItemSize: 10) {
                try PredictFactor(from: &$0)
            }
        }
        warnings = try reader.list("warnings", maxCount: PredictRequest.decodeRowBound, minimumItemSize: 16) {
            try PredictWarning(from: &$0)
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(model)
        buffer.writeWireString(version)
        buffer.writeWireDouble(threshold)
        buffer.writeWireList(probabilities) { $0.writeWireFloat($1) }
        buffer.writeWireList(labels) { $0.writeWireBool($1) }
        buffer.writeWireList(factorColumns) { $0.writeWireString($1) }
        buffer.writeWireList(factors) { buffer, row in buffer.writeWireList(row) { $1.encode(into: &$0) } }
        buffer.writeWireList(warnings) { $1.encode(into: &$0) }
    }
}
