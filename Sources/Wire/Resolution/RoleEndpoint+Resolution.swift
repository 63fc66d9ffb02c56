#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension RoleEndpoint {
    /// Whether `host` is an IPv4 or IPv6 literal (an IPv6 one may carry a `%zone`): such an
    /// endpoint is one replica, connected to as given, and never looked up.
    public var hostIsIPLiteral: Bool { Self.isIPLiteral(host) }

    /// Whether `text` is an IPv4 or IPv6 literal (an IPv6 one may carry a `%zone`).
    static func isIPLiteral(_ text: String) -> Bool {
        isIPv4(text) || isIPv6(text)
    }

    /// Whether `text` is an IPv4 literal.
    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    /// Whether `text` is an IPv6 literal (a `%zone` suffix allowed).
    static func isIPv6(_ text: String) -> Bool {
        let bare =
            text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        var address = in6_addr()
        return inet_pton(AF_INET6, bare, &address) == 1
    }

    /// The replicas behind this endpoint when its name resolved to `answer`: one per distinct
    /// address of one family — IPv4 when there is any, else IPv6 (a dual-stack replica has one of
    /// each, and must not count twice). An answer of at most one address per family (a single
    /// host, such as `localhost` with 127.0.0.1 and ::1) is this one endpoint: connected to by its
    /// address when it has one address, by name (trying both families) when it has two. An empty
    /// answer is this endpoint as it is.
    public func replicas(resolvedTo answer: [String]) -> [RoleEndpoint] {
        var seen = Set<String>()
        let distinct = answer.filter { seen.insert($0).inserted }
        let v4 = distinct.filter(Self.isIPv4)
        let v6 = distinct.filter(Self.isIPv6)
        if v4.count <= 1 && v6.count <= 1 {
            if v4.count + v6.count == 1 {
                return [RoleEndpoint(host: host, port: port, address: v4.first ?? v6.first)]
            }
            return [RoleEndpoint(host: host, port: port)]
        }
        return (v4.isEmpty ? v6 : v4).map { RoleEndpoint(host: host, port: port, address: $0) }
    }

    /// The replicas behind this endpoint now (see ``replicas(resolvedTo:)``): itself for an IP
    /// literal; nil when the name does not resolve (the caller keeps what it knew).
    public func resolve(with resolver: any AddressResolver) async -> [RoleEndpoint]? {
        if hostIsIPLiteral { return [RoleEndpoint(host: host, port: port)] }
        guard let answer = try? await resolver.addresses(of: host), !answer.isEmpty else { return nil }
        return replicas(resolvedTo: answer)
    }
}
