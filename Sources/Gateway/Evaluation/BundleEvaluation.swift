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

    /// Snake-case keys.
    enum CodingKeys: String, CodingKey {
        case threshold, metrics, confusion = "confusion_matrix", roc, precisionRecall = "precision_recall"
        case calibration, loss = "loss_history", validationLoss = "validation_loss_history"
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
        guard bytes.count >= 8 else { throw Unreadable(description: "the bundle is \(bytes.count) bytes, shorter than its header length") }
        var length: UInt64 = 0
        for index in 0..<8 { length |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard length <= UInt64(Self.maxHeaderLength), Int(length) <= bytes.count - 8 else {
            throw Unreadable(description: "the bundle's header length \(length) does not fit its \(bytes.count) bytes")
        }
        let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + Int(length))]))
        guard let header = header as? [String: Any], let metadata = header["__metadata__"] as? [String: Any] else {
            throw Unreadable(description: "the bundle's header is not a safetensors JSON object with __metadata__")
        }
        func object(_ key: String) -> [String: Any]? {
            guard let text = metadata[key] as? String else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        }
        threshold = (metadata["threshold"] as? String).flatMap(Double.init)
        let metricsObject = object("metrics") ?? [:]
        var metrics: [String: Double] = [:]
        for (key, value) in metricsObject {
            if let number = value as? NSNumber, !(value is Bool), number.doubleValue.isFinite { metrics[key] = number.doubleValue }
        }
        self.metrics = metrics
        if let matrix = metricsObject["confusion_matrix"] as? [String: Any],
            let tp = matrix["tp"] as? Int, let fp = matrix["fp"] as? Int, let tn = matrix["tn"] as? Int, let fn = matrix["fn"] as? Int,
            [tp, fp, tn, fn].allSatisfy({ (0...(1 << 40)).contains($0) })
        {
            confusion = Confusion(tp: tp, fp: fp, tn: tn, fn: fn)
        } else {
            confusion = nil
        }
        let curves = object("curves") ?? [:]
        roc = Self.points(curves["roc"])
        precisionRecall = Self.points(curves["precision_recall"])
        let lineage = object("lineage") ?? [:]
        loss = Self.numbers(lineage["loss_history"])
        validationLoss = Self.numbers(lineage["validation_loss_history"])
        if let confusion {
            calibration = CalibrationBins.derive(
                roc: roc, positives: confusion.tp + confusion.fn, negatives: confusion.fp + confusion.tn, bins: 10)
        } else {
            calibration = []
        }
    }

    /// Curve points from a JSON array of `{x, y, threshold}` (malformed entries skipped).
    static func points(_ value: Any?) -> [Point] {
        guard let items = value as? [Any] else { return [] }
        return items.compactMap { item in
            guard let item = item as? [String: Any], let x = (item["x"] as? NSNumber)?.doubleValue,
                let y = (item["y"] as? NSNumber)?.doubleValue, x.isFinite, y.isFinite
            else { return nil }
            return Point(x: x, y: y, threshold: (item["threshold"] as? NSNumber)?.doubleValue ?? .nan)
        }
    }

    /// Finite numbers from a JSON array.
    static func numbers(_ value: Any?) -> [Double] {
        guard let items = value as? [Any] else { return [] }
        return items.compactMap { ($0 as? NSNumber)?.doubleValue }.filter(\.isFinite)
    }
}
