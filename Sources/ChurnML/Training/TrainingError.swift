/// Errors that stop a training run before or while it runs.
public enum TrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option is out of range; `option` is its command-line name.
    case invalidConfiguration(option: String, message: String)
    /// The data cannot train a classifier (too few rows, one class only, …).
    case unusableData(String)
    /// The loss became NaN or infinite.
    case diverged(epoch: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidConfiguration(let option, let message):
            return "--\(option): \(message)"
        case .unusableData(let message):
            return message
        case .diverged(let epoch):
            return "training diverged in epoch \(epoch) (the loss is not a finite number); try a lower --learning-rate"
        }
    }
}
