/// An ordered, non-empty list of registry replicas without duplicates, as given by
/// `--registry a:7400,b:7400` or `CHURN_REGISTRY`. Clients try them in order and fail over to the
/// next one when the one they use stops answering.
public struct RegistryEndpoints: Sendable, Hashable, CustomStringConvertible {
    /// The addresses, in the order given (never empty).
    public let all: [RegistryEndpoint]

    /// A list of one address.
    public init(host: String, port: Int) {
        all = [RegistryEndpoint(host: host, port: port)]
    }

    /// A list of addresses; throws when it is empty or names one address twice.
    public init(_ endpoints: [RegistryEndpoint]) throws(RegistryEndpointsError) {
        guard !endpoints.isEmpty else { throw .empty }
        var seen: [RegistryEndpoint: Int] = [:]
        for (index, endpoint) in endpoints.enumerated() {
            if let first = seen[endpoint.normalized] {
                throw .duplicate(
                    entry: endpoint.description, index: index + 1, count: endpoints.count, first: first + 1)
            }
            seen[endpoint.normalized] = index
        }
        all = endpoints
    }

    /// Parses a comma-separated list of `HOST:PORT` entries (spaces around entries are ignored).
    /// Errors name the bad entry and its position: `registry address 'x' (entry 2 of 3) is not HOST:PORT`.
    public init(parsing text: String) throws(RegistryEndpointsError) {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0).trimmingSpaces()
        }
        if entries.allSatisfy(\.isEmpty) { throw .empty }
        var endpoints: [RegistryEndpoint] = []
        for (index, entry) in entries.enumerated() {
            guard let endpoint = RegistryEndpoint(parsing: entry) else {
                throw .malformed(entry: entry, index: index + 1, count: entries.count)
            }
            endpoints.append(endpoint)
        }
        try self.init(endpoints)
    }

    /// The first address (where a client starts).
    public var first: RegistryEndpoint { all[0] }

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
