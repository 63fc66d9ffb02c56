import ChurnML
import Foundation
import Wire

/// Training options on the wire (a JSON object with `TrainingConfiguration`'s snake_case keys) to
/// and from `TrainingConfiguration`. Absent keys take the reference recipe's defaults; an unknown
/// key, a value of the wrong type or an out-of-range value is refused with `invalidRequest` and
/// `field` = `options.KEY` (e.g. `options.adam.learning_rate`).
public enum TrainingOptionsCodec {
    /// The keys `TrainingConfiguration` encodes, plus those that are absent when nil.
    static let optionalKeys: Set<String> = ["early_stopping_patience", "threshold_policy", "economics"]

    /// The configuration as a JSON object.
    public static func encode(_ configuration: TrainingConfiguration) throws -> [String: JobOptionValue] {
        try JSONDocument(encoding: configuration).decode([String: JobOptionValue].self)
    }

    /// The configuration `options` describe, validated.
    public static func decode(_ options: [String: JobOptionValue]) throws -> TrainingConfiguration {
        var merged = try encode(TrainingConfiguration())
        let known = Set(merged.keys).union(optionalKeys)
        for key in options.keys.sorted() {
            guard let value = options[key] else { continue }
            guard known.contains(key) else {
                throw invalid(key, "unknown training option; known: \(known.sorted().joined(separator: ", "))")
            }
            if case .object(let defaults) = merged[key] {
                guard case .object(let given) = value else { throw invalid(key, "must be an object") }
                var combined = defaults
                for (inner, innerValue) in given {
                    guard defaults[inner] != nil else {
                        throw invalid(
                            "\(key).\(inner)",
                            "unknown training option; known: \(defaults.keys.sorted().joined(separator: ", "))")
                    }
                    combined[inner] = innerValue
                }
                merged[key] = .object(combined)
            } else if value == .null {
                guard optionalKeys.contains(key) else { throw invalid(key, "must not be null") }
                merged[key] = nil
            } else {
                merged[key] = value
            }
        }
        let configuration: TrainingConfiguration
        do {
            configuration = try JSONDocument(encoding: merged).decode(TrainingConfiguration.self)
        } catch let error as ErrorMessage {
            throw ErrorMessage(
                code: .invalidRequest, message: "options: \(error.message)", field: field(in: error.message))
        }
        do {
            try configuration.validate()
        } catch TrainingError.invalidConfiguration(let option, let message) {
            throw invalid(key(forOption: option), message)
        }
        return configuration
    }

    /// The JSON key of a `churn train` option name (as `TrainingError` names them).
    static func key(forOption option: String) -> String {
        switch option {
        case "layers": "hidden_layers"
        case "learning-rate": "adam.learning_rate"
        case "early-stopping": "early_stopping_patience"
        case "offer-cost", "customer-value", "save-rate": "economics." + option.replacingOccurrences(of: "-", with: "_")
        default: option.replacingOccurrences(of: "-", with: "_")
        }
    }

    private static func invalid(_ key: String, _ message: String) -> ErrorMessage {
        ErrorMessage(code: .invalidRequest, message: "options.\(key): \(message)", field: "options.\(key)")
    }

    /// `options.PATH` from a JSONDocument decoding message ("wrong type at epochs: …").
    private static func field(in message: String) -> String {
        for marker in ["wrong type at ", "invalid JSON at ", " in "] {
            if let range = message.range(of: marker) {
                let path = message[range.upperBound...].prefix { $0 != ":" && $0 != " " }
                if !path.isEmpty, path != "document" { return "options.\(path)" }
            }
        }
        return "options"
    }
}
