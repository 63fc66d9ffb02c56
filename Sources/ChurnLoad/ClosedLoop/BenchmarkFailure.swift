/// Errors of a load-generator run.
public enum BenchmarkFailure: Error, CustomStringConvertible {
    /// Bad arguments.
    case invalidArgument(String)
    /// The server answered something other than the expected response.
    case unexpectedFrame(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidArgument(let text): "invalid argument: \(text)"
        case .unexpectedFrame(let text): "unexpected frame: \(text)"
        }
    }
}
