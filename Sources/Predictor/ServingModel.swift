import ChurnML
import NIOCore
import Wire

/// One loaded model version, immutable once built: the bundle, its identity, and everything the
/// request path precomputes from it (ModelInfo answer, factor column table, fast-path encoder).
///
/// A request holds a reference for as long as it runs, so a swap never changes a request in flight.
public final class ServingModel: Sendable {
    /// Name, version, digest, generation.
    public let identity: ModelIdentity
    /// The verified bundle.
    public let bundle: ModelBundle
    /// Original feature columns in encoding order (the `factorColumns` of every explained response).
    public let featureColumns: [String]
    /// Index of each feature column in ``featureColumns``.
    let factorIndex: [String: UInt16]
    /// The ModelInfo answer.
    public let info: ModelInfoResponse
    /// The allocation-free path for common Predict requests.
    let fast: FastPredictor
    /// Whether the bundle holds a training distribution, so the drift monitor watches it (read on
    /// the request path, where copying the bundle to ask would cost).
    let watchesDrift: Bool

    /// Prepares `candidate` as generation `generation`, loaded at `loadedAtMillis`.
    public init(candidate: ModelCandidate, generation: UInt64, loadedAtMillis: UInt64) {
        identity = ModelIdentity(
            name: candidate.name, version: candidate.version, sha256: candidate.sha256, source: candidate.source,
            generation: generation, loadedAtMillis: loadedAtMillis)
        bundle = candidate.bundle
        featureColumns = bundle.pipeline.encoders.map(\.column)
        var index: [String: UInt16] = [:]
        for (position, column) in featureColumns.enumerated() { index[column] = UInt16(truncatingIfNeeded: position) }
        factorIndex = index
        info = Self.info(identity: identity, bundle: bundle)
        fast = FastPredictor(bundle: bundle, name: candidate.name, version: candidate.version)
        watchesDrift = bundle.baseline != nil
    }

    /// The ModelInfo response (wire.md §13.3) for `bundle`.
    static func info(identity: ModelIdentity, bundle: ModelBundle) -> ModelInfoResponse {
        let fields = bundle.pipeline.encoders.map { encoder -> ModelInfoField in
            let kind: ModelInfoField.Kind
            switch encoder.role {
            case .binary: kind = .binary
            case .categorical: kind = .categorical
            default: kind = .numeric
            }
            let number = encoder.role == .numeric || encoder.numericSource
            return ModelInfoField(
                name: encoder.column, kind: kind, valueType: number ? PredictColumn.numberType : PredictColumn.textType,
                categories: encoder.role == .numeric ? [] : encoder.levels, fill: encoder.fill,
                numericFill: encoder.numericFill, minimum: encoder.minimum, maximum: encoder.maximum)
        }
        var metrics: [ModelInfoResponse.Metric] = []
        if let m = bundle.metrics {
            let values: [(name: String, value: Double?)] = [("rows", Double(m.rows))] + m.namedValues
            metrics = values.compactMap { name, value in value.map { ModelInfoResponse.Metric(name: name, value: $0) } }
        }
        let lineage = bundle.lineage
        let entries: [(String, String)] = [
            ("created", lineage.created), ("tool_version", lineage.toolVersion),
            ("dataset_sha256", lineage.datasetSHA256),
            ("dataset_source", lineage.datasetSource), ("dataset_rows", String(lineage.datasetRows)),
            ("epochs_run", String(lineage.epochsRun)), ("seed", String(lineage.configuration.seed)),
        ]
        return ModelInfoResponse(
            model: identity.name, version: identity.version, sha256: identity.sha256, generation: identity.generation,
            loadedAtMillis: identity.loadedAtMillis, source: identity.source, threshold: bundle.threshold,
            target: bundle.schema.target, positiveLabel: bundle.schema.positiveLabel,
            unseenPolicy: bundle.pipeline.unseenCategoryPolicy == .error ? .error : .zeros,
            fields: fields, metrics: metrics, lineage: entries.map { ModelInfoResponse.Entry(key: $0.0, value: $0.1) })
    }
}
