/// Why a registry address list was refused.
public enum RegistryEndpointsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No address at all (an empty string, or only commas and spaces).
    case empty
    /// Entry `index` (1-based) of `count` is not `HOST:PORT`.
    case malformed(entry: String, index: Int, count: Int)
    /// Entry `index` of `count` repeats entry `first`.
    case duplicate(entry: String, index: Int, count: Int, first: Int)

    /// A one-line explanation naming the bad entry.
    public var description: String {
        switch self {
        case .empty:
            "registry address list is empty: give HOST:PORT[,HOST:PORT…]"
        case .malformed(let entry, let index, let count):
            "registry address '\(entry)' (entry \(index) of \(count)) is not HOST:PORT"
        case .duplicate(let entry, let index, let count, let first):
            "registry address '\(entry)' (entry \(index) of \(count)) repeats entry \(first)"
        }
    }
}
