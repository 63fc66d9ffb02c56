import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system's resolver: `getaddrinfo` (so /etc/hosts, DNS and whatever NSS is configured), run
/// on NIO's blocking-work thread pool so that no event loop and no cooperative thread waits for it.
public struct SystemAddressResolver: AddressResolver {
    /// The system resolver.
    public init() {}

    /// The TCP addresses of `host` (IPv4 and IPv6), as IP literals in getaddrinfo's order.
    public func addresses(of host: String) async throws -> [String] {
        try await NIOThreadPool.singleton.runIfActive { try Self.lookup(host) }
    }

    /// The blocking lookup.
    static func lookup(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
        #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            let reason = status == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(status))
            throw AddressResolutionError(host: host, reason: reason)
        }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry = list
        while let info = entry {
            if let text = numericHost(info.pointee) { addresses.append(text) }
            entry = info.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw AddressResolutionError(host: host, reason: "no IPv4 or IPv6 address") }
        return addresses
    }

    /// The address of one getaddrinfo entry as an IP literal; nil for other families.
    private static func numericHost(_ info: addrinfo) -> String? {
        guard let address = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = getnameinfo(address, info.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
        guard status == 0 else { return nil }
        return String(cString: buffer)
    }
}
