/// An ordered, non-empty list of a role's replicas without duplicates, as given by
/// `--registry a:7400,b:7400`, `--predictor …`, `--trainer …` or `CHURN_REGISTRY`. Clients fail
/// over from one to the next when the one they use stops answering.
public struct RoleEndpoints: Sendable, Hashable, CustomStringConvertible {
    /// The addresses, in the order given (never empty).
    public let all: [RoleEndpoint]

    /// A list of one address.
    public init(host: String, port: Int) {
        all = [RoleEndpoint(host: host, port: port)]
    }

    /// A list of `role`'s addresses; throws when it is empty or names one address twice.
    public init(_ endpoints: [RoleEndpoint], role: String = "registry") throws(RoleEndpointsError) {
        guard !endpoints.isEmpty else { throw RoleEndpointsError(role: role, problem: .empty) }
        var seen: [RoleEndpoint: Int] = [:]
        for (index, endpoint) in endpoints.enumerated() {
            if let first = seen[endpoint.normalized] {
                throw RoleEndpointsError(
                    role: role,
                    problem: .duplicate(
                        entry: endpoint.description, index: index + 1, count: endpoints.count, first: first + 1))
            }
            seen[endpoint.normalized] = index
        }
        all = endpoints
    }

    /// Parses a comma-separated list of `HOST:PORT` entries (spaces around entries are ignored).
    /// Errors name `role`, the bad entry and its position:
    /// `predictor address 'x' (entry 2 of 3) is not HOST:PORT`.
    public init(parsing text: String, role: String) throws(RoleEndpointsError) {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces()
        }
        if entries.allSatisfy(\.isEmpty) { throw RoleEndpointsError(role: role, problem: .empty) }
        var endpoints: [RoleEndpoint] = []
        for (index, entry) in entries.enumerated() {
            guard let endpoint = RoleEndpoint(parsing: entry) else {
                throw RoleEndpointsError(
                    role: role, problem: .malformed(entry: entry, index: index + 1, count: entries.count))
            }
            endpoints.append(endpoint)
        }
        try self.init(endpoints, role: role)
    }

    /// The first address (where a client starts).
    public var first: RoleEndpoint { all[0] }

    /// How many addresses there are.
    public var count: Int { all.count }

    /// The addresses, comma-separated, as they would be given on the command line.
    public var description: String { all.map(\.description).joined(separator: ",") }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
