import ChurnML
import Foundation

/// What a model bundle records about its held-out evaluation and its training, read from the
/// bundle's safetensors header (`Protocols/bundle.md`: metadata `metrics`, `curves`, `lineage`)
/// without the ChurnML library: the gateway needs only this JSON, never the weights.
struct BundleEvaluation: Codable, Sendable, Equatable {
    /// One curve point (`x`, `y` and the threshold it belongs to).
    struct Point: Codable, Sendable, Equatable {
        /// False-positive rate (ROC) or recall (PR).
        var x: Double
        /// True-positive rate (ROC) or precision (PR).
        var y: Double
        /// The decision threshold of the point.
        var threshold: Double
    }

    /// Decision counts on the held-out rows at the model's threshold.
    struct Confusion: Codable, Sendable, Equatable {
        /// Churners flagged.
        var tp: Int
        /// Loyal customers flagged.
        var fp: Int
        /// Loyal customers not flagged.
        var tn: Int
        /// Churners missed.
        var fn: Int
    }

    /// The decision threshold.
    var threshold: Double?
    /// Held-out metrics (`accuracy`, `roc_auc`, …; those present and numeric).
    var metrics: [String: Double]
    /// Held-out confusion matrix.
    var confusion: Confusion?
    /// ROC curve: (false-positive rate, true-positive rate).
    var roc: [Point]
    /// Precision–recall curve: (recall, precision).
    var precisionRecall: [Point]
    /// Reliability bins derived from the ROC curve and the class counts (see ``CalibrationBins``).
    var calibration: [CalibrationBins.Bin]
    /// Training loss per epoch.
    var loss: [Double]
    /// Validation loss per epoch (empty without a validation split).
    var validationLoss: [Double]
    /// The F1 and profit thresholds and the policy that chose the model's (bundles made since insights).
    var thresholds: DecisionThresholds?
    /// Importance, profit, lift, calibration and segments (bundles made since insights).
    var insights: ModelInsights?

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case threshold, metrics
        case confusion = "confusion_matrix"
        case roc
        case precisionRecall = "precision_recall"
        case calibration
        case loss = "loss_history"
        case validationLoss = "validation_loss_history"
        case thresholds, insights
    }

    /// The evaluation of metrics and curves computed here (by `churn report`), with the bundle's
    /// thresholds and training history.
    init(metrics: ClassificationMetrics, curves: EvaluationCurves, insights: ModelInsights, bundle: ModelBundle) {
        threshold = metrics.threshold
        var values: [String: Double] = [:]
        for (name, value) in metrics.namedValues {
            if let value { values[name] = value }
        }
        self.metrics = values
        let matrix = metrics.confusionMatrix
        confusion = Confusion(tp: matrix.tp, fp: matrix.fp, tn: matrix.tn, fn: matrix.fn)
        roc = curves.roc.map { Point(x: $0.x, y: $0.y, threshold: $0.threshold) }
        precisionRecall = curves.precisionRecall.map { Point(x: $0.x, y: $0.y, threshold: $0.threshold) }
        calibration = Self.bins(insights.calibration)
        loss = bundle.lineage.lossHistory
        validationLoss = bundle.lineage.validationLossHistory ?? []
        thresholds = bundle.thresholds
        self.insights = insights
    }

    /// Reliability bins measured on the rows (exact), in the chart's form.
    static func bins(_ curve: CalibrationCurve) -> [CalibrationBins.Bin] {
        curve.bins.map { CalibrationBins.Bin(lower: $0.lower, upper: $0.upper, rows: $0.rows, observed: $0.observed) }
    }

    /// Largest header accepted (bundle.md readers refuse more than 100 MB).
    static let maxHeaderLength = 100_000_000

    /// A bundle that cannot be read.
    struct Unreadable: Error, CustomStringConvertible {
        /// Why.
        var description: String
    }

    /// Reads the evaluation from the bundle file's bytes (the registry has verified their SHA-256).
    init(bundle bytes: [UInt8]) throws {
        guard bytes.count >= 8 else {
            throw Unreadable(description: "the bundle is \(bytes.count) bytes, shorter than its header length")
        }
        var length: UInt64 = 0
        for index in 0..<8 { length |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard length <= UInt64(Self.maxHeaderLength), Int(length) <= bytes.count - 8 else {
            throw Unreadable(description: "the bundle's header length \(length) does not fit its \(bytes.count) bytes")
        }
        guard case .object(let header)? = try? JSONParser.parse(bytes[8..<(8 + Int(length))], inputName: "header"),
            case .object(let metadata)? = header["__metadata__"]
        else {
            throw Unreadable(description: "the bundle's header is not a safetensors JSON object with __metadata__")
        }
        func object(_ key: String) -> JSONObject? {
            guard case .string(let text)? = metadata[key],
                case .object(let object)? = try? JSONParser.parse(Array(text.utf8))
            else {
                return nil
            }
            return object
        }
        if case .string(let text)? = metadata["threshold"] { threshold = Double(text) } else { threshold = nil }
        let metricsObject = object("metrics") ?? JSONObject()
        var metrics: [String: Double] = [:]
        for (key, value) in metricsObject.members {
            if case .number(let number) = value { metrics[key] = number.double }
        }
        self.metrics = metrics
        if case .object(let matrix)? = metricsObject["confusion_matrix"],
            let tp = Self.count(matrix["tp"]), let fp = Self.count(matrix["fp"]), let tn = Self.count(matrix["tn"]),
            let fn = Self.count(matrix["fn"])
        {
            confusion = Confusion(tp: tp, fp: fp, tn: tn, fn: fn)
        } else {
            confusion = nil
        }
        let curves = object("curves") ?? JSONObject()
        roc = Self.points(curves["roc"])
        precisionRecall = Self.points(curves["precision_recall"])
        let lineage = object("lineage") ?? JSONObject()
        loss = Self.numbers(lineage["loss_history"])
        validationLoss = Self.numbers(lineage["validation_loss_history"])
        thresholds = Self.decoded(DecisionThresholds.self, metadata["thresholds"])
        insights = Self.decoded(ModelInsights.self, metadata["insights"])
        if let insights {
            calibration = Self.bins(insights.calibration)
        } else if let confusion {
            calibration = CalibrationBins.derive(
                roc: roc, positives: confusion.tp + confusion.fn, negatives: confusion.fp + confusion.tn, bins: 10)
        } else {
            calibration = []
        }
    }

    /// A metadata JSON document decoded as `type`; nil when absent or malformed (the page shows less).
    static func decoded<Value: Decodable>(_ type: Value.Type, _ value: JSONValue?) -> Value? {
        guard case .string(let text)? = value else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try? decoder.decode(type, from: Data(text.utf8))
    }

    /// A confusion-matrix count: a whole number from 0 to 2⁴⁰.
    static func count(_ value: JSONValue?) -> Int? {
        guard case .number(let number)? = value, number.double == number.double.rounded(),
            (0...Double(1 << 40)).contains(number.double)
        else { return nil }
        return Int(number.double)
    }

    /// Curve points from a JSON array of `{x, y, threshold}` (malformed entries skipped).
    static func points(_ value: JSONValue?) -> [Point] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            guard case .object(let item) = item, case .number(let x)? = item["x"], case .number(let y)? = item["y"]
            else { return nil }
            let threshold: Double
            if case .number(let number)? = item["threshold"] { threshold = number.double } else { threshold = .nan }
            return Point(x: x.double, y: y.double, threshold: threshold)
        }
    }

    /// Finite numbers from a JSON array.
    static func numbers(_ value: JSONValue?) -> [Double] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap { item in
            if case .number(let number) = item { return number.double }
            return nil
        }
    }
}
