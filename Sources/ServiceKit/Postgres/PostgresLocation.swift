import Foundation

/// Where a PostgreSQL database lives (the registry's metadata, the trainers' shared job queue),
/// parsed from a URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable&application_name=…]`
/// (`postgresql://` too). The password may instead come from `PGPASSWORD`.
///
/// TLS is not implemented: `sslmode` `disable`, `allow` and `prefer` connect without it;
/// `require`, `verify-ca` and `verify-full` are refused (use a trusted network or a local proxy).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The user to connect as.
    public var user: String
    /// The password, when one is needed.
    public var password: String?
    /// The database.
    public var database: String
    /// Sent to the server as `application_name` (shows in `pg_stat_activity`).
    public var applicationName: String?

    /// Creates a location from its parts.
    public init(
        host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
        applicationName: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.applicationName = applicationName
    }

    /// A URL that cannot be used; the message names the URL (without its password) and what is wrong.
    public struct InvalidURL: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, for people.
        public var description: String
    }

    /// Parses `url`; a password missing from it is taken from `PGPASSWORD` in `environment`.
    /// Throws ``InvalidURL`` saying what is wrong.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func fail(_ reason: String) -> InvalidURL {
            InvalidURL(description: "PostgreSQL URL \"\(Self.redacted(url))\": \(reason)")
        }
        var rest = Substring(url)
        guard let schemeEnd = rest.range(of: "://") else {
            throw fail("expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        let scheme = rest[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw fail("the scheme must be postgres:// or postgresql://, not \(scheme)://")
        }
        rest = rest[schemeEnd.upperBound...]

        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw fail("missing /DATABASE after the host") }
        let databaseText = rest[rest.index(after: slash)...]
        let authority = rest[..<slash]
        guard let database = Self.decoded(databaseText), !database.isEmpty else { throw fail("missing database name") }
        guard !database.contains("/") else { throw fail("the database name must not contain \"/\"") }

        guard let at = authority.lastIndex(of: "@") else { throw fail("missing USER@ before the host") }
        let userInfo = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        let userText: Substring
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            userText = userInfo[..<colon]
            guard let decoded = Self.decoded(userInfo[userInfo.index(after: colon)...]) else {
                throw fail("the password is not valid percent-encoding")
            }
            password = decoded
        } else {
            userText = userInfo
        }
        guard let user = Self.decoded(userText), !user.isEmpty else { throw fail("missing user name") }

        var host: String
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw fail("unclosed [ in an IPv6 host") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
        }
        guard !host.isEmpty else { throw fail("missing host") }
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw fail("the port must be a number from 1 to 65535, not \"\(portText)\"")
            }
            port = number
        }

        var applicationName: String?
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count == 2 ? Self.decoded(parts[1]) ?? "" : ""
            switch key {
            case "sslmode":
                switch value {
                case "disable", "allow", "prefer": break
                case "require", "verify-ca", "verify-full":
                    throw fail(
                        "sslmode=\(value) is not supported: this registry connects to PostgreSQL without TLS (use sslmode=disable on a trusted network)"
                    )
                default: throw fail("unknown sslmode \"\(value)\"")
                }
            case "application_name": applicationName = value
            default: throw fail("unsupported parameter \"\(key)\" (supported: sslmode, application_name)")
            }
        }

        if password == nil, let fromEnvironment = environment["PGPASSWORD"], !fromEnvironment.isEmpty {
            password = fromEnvironment
        }
        self.init(
            host: host, port: port, user: user, password: password, database: database, applicationName: applicationName
        )
    }

    /// `HOST:PORT`, for messages.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL without its password.
    public var description: String {
        "postgres://\(user)@\(endpoint)/\(database)"
    }

    /// This location with another database (same server and credentials).
    public func with(database: String) -> PostgresLocation {
        var copy = self
        copy.database = database
        return copy
    }

    /// Percent-decodes a URL part (nil when malformed).
    private static func decoded(_ text: Substring) -> String? {
        String(text).removingPercentEncoding
    }

    /// `url` with any password replaced by `***`, so that errors can show it.
    public static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"),
            let at = url[schemeEnd.upperBound...].firstIndex(of: "@")
        else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
