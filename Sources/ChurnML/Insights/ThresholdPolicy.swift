import Foundation

/// How training picks the decision threshold stored as the bundle's `threshold`.
///
/// Written `f1`, `profit` or `fixed:X` on the command line and in bundles. The F1 and profit thresholds
/// are chosen on rows the network was not fitted on when there are any (the validation rows), otherwise on
/// the training rows — never on the test rows, whose metrics stay an honest estimate.
public enum ThresholdPolicy: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The threshold with the highest F1 score.
    case f1
    /// The threshold with the highest expected profit under the ``RetentionEconomics``.
    case profit
    /// A given probability in (0, 1).
    case fixed(Double)

    /// Parses `f1`, `profit` or `fixed:X` (X strictly between 0 and 1).
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch trimmed {
        case "f1": self = .f1
        case "profit": self = .profit
        default:
            guard trimmed.hasPrefix("fixed:") else {
                throw InsightsError.invalidOption(
                    option: "threshold-policy",
                    message: "\"\(text)\" is not one of f1, profit, fixed:X (e.g. fixed:0.5)")
            }
            let number = String(trimmed.dropFirst("fixed:".count))
            guard let value = Double(number), value > 0, value < 1 else {
                throw InsightsError.invalidOption(
                    option: "threshold-policy",
                    message: "fixed:\(number): the threshold must be a number strictly between 0 and 1")
            }
            self = .fixed(value)
        }
    }

    /// `f1`, `profit` or `fixed:X`.
    public var description: String {
        switch self {
        case .f1: "f1"
        case .profit: "profit"
        case .fixed(let value): "fixed:\(value)"
        }
    }
}

extension ThresholdPolicy: Codable {
    /// Decodes the text form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
