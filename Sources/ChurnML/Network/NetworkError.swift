/// Errors from building, running or loading a network.
public enum NetworkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer sizes or activations do not describe a usable network.
    case invalidTopology(String)
    /// An input matrix does not have the width the network expects.
    case inputWidthMismatch(expected: Int, found: Int)
    /// The parameter vector does not match the topology.
    case parameterCountMismatch(expected: Int, found: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidTopology(let detail):
            return "invalid network topology: \(detail)"
        case .inputWidthMismatch(let expected, let found):
            return "the network expects \(expected) input features, got \(found)"
        case .parameterCountMismatch(let expected, let found):
            return "the network needs \(expected) parameters, got \(found)"
        }
    }
}
