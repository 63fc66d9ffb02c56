/// Why insights could not be computed or an insights option was refused.
public enum InsightsError: Error, Equatable, CustomStringConvertible {
    /// An option (named as on the command line, without dashes) is out of range.
    case invalidOption(option: String, message: String)
    /// The rows cannot support the analysis (e.g. one class only for importance).
    case unusableData(String)

    /// A message for people.
    public var description: String {
        switch self {
        case .invalidOption(let option, let message): "--\(option): \(message)"
        case .unusableData(let message): message
        }
    }
}
