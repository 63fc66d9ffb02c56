/// Why an address list (`--registry`, `--predictor`, `--trainer`, `CHURN_REGISTRY`…) was refused;
/// the message names the role, the bad entry and its position:
/// `predictor address 'x' (entry 2 of 3) is not HOST:PORT`.
public struct RoleEndpointsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the list.
    public enum Problem: Hashable, Sendable {
        /// No address at all (an empty string, or only commas and spaces).
        case empty
        /// Entry `index` (1-based) of `count` is not `HOST:PORT`.
        case malformed(entry: String, index: Int, count: Int)
        /// Entry `index` of `count` repeats entry `first`.
        case duplicate(entry: String, index: Int, count: Int, first: Int)
    }

    /// The role whose addresses the list gives: `registry`, `predictor` or `trainer`.
    public var role: String
    /// What is wrong.
    public var problem: Problem

    public init(role: String, problem: Problem) {
        self.role = role
        self.problem = problem
    }

    /// A one-line explanation naming the bad entry.
    public var description: String {
        switch problem {
        case .empty:
            "\(role) address list is empty: give HOST:PORT[,HOST:PORT…]"
        case .malformed(let entry, let index, let count):
            "\(role) address '\(entry)' (entry \(index) of \(count)) is not HOST:PORT"
        case .duplicate(let entry, let index, let count, let first):
            "\(role) address '\(entry)' (entry \(index) of \(count)) repeats entry \(first)"
        }
    }
}
