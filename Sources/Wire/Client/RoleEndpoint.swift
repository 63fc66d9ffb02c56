/// One address of a role (registry, predictor, trainer): a host (name, IPv4 or IPv6 literal without brackets) and a port, and —
/// for one of the several addresses a host name resolved to — that address.
public struct RoleEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP literal (an IPv6 literal without its brackets).
    public var host: String
    /// TCP port, 1…65535.
    public var port: Int
    /// The IP literal `host` resolved to, which connections go to; nil: connections go to `host`
    /// (an IP literal, or a name not resolved by the caller).
    public var address: String?

    /// Creates an address (not validated: use ``RoleEndpoints/init(parsing:)`` for user input).
    public init(host: String, port: Int, address: String? = nil) {
        self.host = host
        self.port = port
        self.address = address
    }

    /// Where connections go: the resolved address, else the host.
    public var connectHost: String { address ?? host }

    /// Parses one `HOST:PORT` entry (`registry:7400`, `10.0.0.5:7400`, `[::1]:7400`); nil when it
    /// is malformed: no port, a port outside 1…65535, an empty host, an IPv6 literal without
    /// brackets, or a host with spaces, slashes or stray brackets.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText),
            (1...65_535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return nil }
            host = String(host.dropFirst().dropLast())
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." || $0 == "%" }) else {
                return nil
            }
        } else {
            let allowed: (Character) -> Bool = {
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_")
            }
            guard !host.isEmpty, host.allSatisfy(allowed) else { return nil }
        }
        self.host = host
        self.port = port
    }

    /// `host:port`, with brackets around an IPv6 literal, followed by the resolved address when
    /// there is one: `predictor:7402 (172.18.0.5)`.
    public var description: String {
        let base = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard let address, address != host else { return base }
        return "\(base) (\(address))"
    }

    /// The same address compared case-insensitively (host names are), for duplicate detection.
    var normalized: RoleEndpoint { RoleEndpoint(host: host.lowercased(), port: port) }
}

extension Character {
    /// Whether this is one of the ASCII digits 0–9.
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
