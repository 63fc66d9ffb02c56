import Crypto
import Foundation

/// Writes and reads `ModelBundle`s as safetensors files.
///
/// Tensors: `network.layer{i}.weight` (`[inputs, outputs]`, F32), `network.layer{i}.bias`
/// (`[outputs]`), `preprocessing.mean` and `preprocessing.scale` (`[features]`). Metadata (all
/// strings): `format`, `format_version`, `schema`, `pipeline`, `network`, `threshold`, `metrics`,
/// `curves`, `lineage`, `thresholds`, `insights`, `baseline` (JSON documents; `metrics`, `curves`, `thresholds`, `insights` and `baseline` optional) and `content_sha256`, the SHA-256 of every other metadata
/// entry and every tensor in a canonical order (see `contentDigest`). Reading verifies all of it.
public enum BundleCodec {
    /// The bundle as file bytes. Equal bundles give equal bytes.
    public static func encode(_ bundle: ModelBundle) throws -> [UInt8] {
        var tensors: [String: SafetensorsTensor] = [:]
        let layout = bundle.network.layout
        for layer in 0..<layout.layerCount {
            let fanIn = layout.layerSizes[layer]
            let fanOut = layout.layerSizes[layer + 1]
            let weights = Array(
                bundle.network.parameters[layout.weightOffsets[layer]..<(layout.weightOffsets[layer] + fanIn * fanOut)])
            let biases = Array(
                bundle.network.parameters[layout.biasOffsets[layer]..<(layout.biasOffsets[layer] + fanOut)])
            tensors["network.layer\(layer).weight"] = try SafetensorsTensor(float32: weights, shape: [fanIn, fanOut])
            tensors["network.layer\(layer).bias"] = try SafetensorsTensor(float32: biases, shape: [fanOut])
        }
        tensors["preprocessing.mean"] = try SafetensorsTensor(
            float32: bundle.pipeline.means, shape: [bundle.pipeline.means.count])
        tensors["preprocessing.scale"] = try SafetensorsTensor(
            float32: bundle.pipeline.scales, shape: [bundle.pipeline.scales.count])

        var pipeline = bundle.pipeline
        pipeline.means = []
        pipeline.scales = []
        var metadata: [String: String] = [
            "format": ModelBundle.formatName,
            "format_version": String(ModelBundle.formatVersion),
            "schema": try json(bundle.schema),
            "pipeline": try json(pipeline),
            "network": try json(NetworkDescription(layerSizes: layout.layerSizes)),
            "threshold": "\(bundle.threshold)",
            "lineage": try json(bundle.lineage),
        ]
        if let metrics = bundle.metrics { metadata["metrics"] = try json(metrics) }
        if let curves = bundle.curves { metadata["curves"] = try json(curves) }
        if let thresholds = bundle.thresholds { metadata["thresholds"] = try json(thresholds) }
        if let insights = bundle.insights { metadata["insights"] = try json(insights) }
        if let baseline = bundle.baseline { metadata["baseline"] = try json(baseline) }
        metadata["content_sha256"] = contentDigest(metadata: metadata, tensors: tensors)
        do {
            return try SafetensorsFile(metadata: metadata, tensors: tensors).serialized()
        } catch {
            throw BundleError.container("\(error)")
        }
    }

    /// Parses and verifies a bundle: container structure, format name and version, content
    /// checksum, JSON parts, and that the tensors fit the network and the preprocessing.
    public static func decode(_ bytes: [UInt8]) throws -> ModelBundle {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(parsing: bytes)
        } catch {
            throw BundleError.container("\(error)")
        }
        let metadata = file.metadata
        guard metadata["format"] == ModelBundle.formatName else {
            throw BundleError.notAModel(
                "metadata \"format\" is \(metadata["format"].map { "\"\($0)\"" } ?? "missing"), expected \"\(ModelBundle.formatName)\""
            )
        }
        guard metadata["format_version"] == String(ModelBundle.formatVersion) else {
            throw BundleError.unsupportedVersion(
                found: metadata["format_version"] ?? "(missing)", supported: ModelBundle.formatVersion)
        }
        guard let recorded = metadata["content_sha256"] else {
            throw BundleError.notAModel("metadata \"content_sha256\" is missing")
        }
        var unsigned = metadata
        unsigned["content_sha256"] = nil
        let actual = contentDigest(metadata: unsigned, tensors: file.tensors)
        guard actual == recorded else { throw BundleError.checksumMismatch(expected: recorded, actual: actual) }

        let schema = try decodeJSON(Schema.self, metadata, "schema")
        var pipeline = try decodeJSON(FeaturePipeline.self, metadata, "pipeline")
        let description = try decodeJSON(NetworkDescription.self, metadata, "network")
        let lineage = try decodeJSON(Lineage.self, metadata, "lineage")
        let metrics = try metadata["metrics"].map { _ in try decodeJSON(ClassificationMetrics.self, metadata, "metrics")
        }
        let curves = try metadata["curves"].map { _ in try decodeJSON(EvaluationCurves.self, metadata, "curves") }
        let thresholds = try metadata["thresholds"].map { _ in
            try decodeJSON(DecisionThresholds.self, metadata, "thresholds")
        }
        let insights = try metadata["insights"].map { _ in try decodeJSON(ModelInsights.self, metadata, "insights") }
        let baseline = try metadata["baseline"].map { _ in try decodeJSON(DriftBaseline.self, metadata, "baseline") }
        guard let thresholdText = metadata["threshold"], let threshold = Double(thresholdText), threshold > 0,
            threshold < 1
        else {
            throw BundleError.inconsistent("metadata \"threshold\" must be a number between 0 and 1")
        }

        pipeline.means = try floats(file, "preprocessing.mean", shape: [pipeline.featureCount])
        pipeline.scales = try floats(file, "preprocessing.scale", shape: [pipeline.featureCount])
        let layout: ParameterLayout
        do {
            layout = try ParameterLayout(layerSizes: description.layerSizes)
        } catch {
            throw BundleError.inconsistent("\(error)")
        }
        guard layout.inputWidth == pipeline.featureCount else {
            throw BundleError.inconsistent(
                "the network takes \(layout.inputWidth) inputs but the preprocessing makes \(pipeline.featureCount)")
        }
        var parameters = [Float](repeating: 0, count: layout.count)
        for layer in 0..<layout.layerCount {
            let fanIn = layout.layerSizes[layer]
            let fanOut = layout.layerSizes[layer + 1]
            let weights = try floats(file, "network.layer\(layer).weight", shape: [fanIn, fanOut])
            let biases = try floats(file, "network.layer\(layer).bias", shape: [fanOut])
            parameters.replaceSubrange(
                layout.weightOffsets[layer]..<(layout.weightOffsets[layer] + weights.count), with: weights)
            parameters.replaceSubrange(
                layout.biasOffsets[layer]..<(layout.biasOffsets[layer] + biases.count), with: biases)
        }
        guard file.tensors.count == 2 + 2 * layout.layerCount else {
            throw BundleError.inconsistent(
                "the file holds \(file.tensors.count) tensors, the network and preprocessing use \(2 + 2 * layout.layerCount)"
            )
        }
        let network: DenseNetwork
        do {
            network = try DenseNetwork(layerSizes: layout.layerSizes, parameters: parameters)
        } catch {
            throw BundleError.inconsistent("\(error)")
        }
        return ModelBundle(
            schema: schema, pipeline: pipeline, network: network, threshold: threshold,
            metrics: metrics, curves: curves, lineage: lineage, thresholds: thresholds, insights: insights,
            baseline: baseline)
    }

    /// Hex SHA-256 over every metadata entry (sorted by key: key, NUL, value, NUL) followed by every
    /// tensor (sorted by name: name, NUL, dtype, NUL, comma-joined shape, NUL, raw bytes).
    public static func contentDigest(metadata: [String: String], tensors: [String: SafetensorsTensor]) -> String {
        var hasher = SHA256()
        let separator: [UInt8] = [0]
        for key in metadata.keys.sorted() {
            hasher.update(data: Array(key.utf8) + separator + Array((metadata[key] ?? "").utf8) + separator)
        }
        for name in tensors.keys.sorted() {
            guard let tensor = tensors[name] else { continue }
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            hasher.update(
                data: Array(name.utf8) + separator + Array(tensor.dtype.rawValue.utf8) + separator + Array(shape.utf8)
                    + separator)
            hasher.update(data: tensor.bytes)
        }
        return Hex.string(hasher.finalize())
    }

    /// Canonical JSON (sorted keys, no slashes escaped) of a value.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decodeJSON<Value: Decodable>(_ type: Value.Type, _ metadata: [String: String], _ key: String)
        throws -> Value
    {
        guard let text = metadata[key] else { throw BundleError.notAModel("metadata \"\(key)\" is missing") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw BundleError.inconsistent("metadata \"\(key)\" is not valid: \(error)")
        }
    }

    private static func floats(_ file: SafetensorsFile, _ name: String, shape: [Int]) throws -> [Float] {
        guard let tensor = file.tensors[name] else { throw BundleError.inconsistent("tensor \"\(name)\" is missing") }
        guard tensor.dtype == .f32, tensor.shape == shape else {
            throw BundleError.inconsistent(
                "tensor \"\(name)\" is \(tensor.dtype.rawValue)\(tensor.shape), expected F32\(shape)")
        }
        do {
            return try tensor.float32Values()
        } catch {
            throw BundleError.inconsistent("tensor \"\(name)\": \(error)")
        }
    }
}

/// The network's topology as recorded in the bundle's `network` metadata.
struct NetworkDescription: Codable, Equatable {
    /// Units per layer, input first.
    var layerSizes: [Int]
    /// Activation of every hidden layer.
    var hiddenActivation = "relu"
    /// Activation of the output unit.
    var outputActivation = "sigmoid"

    enum CodingKeys: String, CodingKey {
        case layerSizes = "layer_sizes"
        case hiddenActivation = "hidden_activation"
        case outputActivation = "output_activation"
    }
}
