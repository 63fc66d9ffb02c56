import ArgumentParser
import Foundation
import Logging
import NIOCore
import ServiceKit
import Wire

/// Options shared by every `churn serve <role>` command.
struct ServeOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Address to listen on, HOST:PORT (port 0 picks a free port; default depends on the role, 127.0.0.1:7409 for base)."
    )
    var listen: String?

    @Option(
        name: .long, help: "File holding the shared token (else the CHURN_TOKEN environment variable; else no token).")
    var tokenFile: String?

    @Option(name: .long, help: "Serve Prometheus metrics over HTTP at HOST:PORT (/metrics).")
    var metrics: String?

    @Option(
        name: .long,
        help:
            "Event-loop threads of the process, shared by the protocol server and its clients (one is fastest on a 2-core machine that also runs the clients)."
    )
    var eventLoops: Int = 1

    @Option(name: .long, help: "Most connections accepted at once.")
    var maxConnections: Int = 16_384

    @Option(name: .long, help: "Most requests in flight per connection.")
    var maxInFlight: Int = 128

    @Option(name: .long, help: "Seconds before an idle connection is closed.")
    var idleTimeout: Double = 300

    @Option(name: .long, help: "Seconds a started frame may take to arrive completely.")
    var partialFrameTimeout: Double = 30

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// The parsed `--listen` address (`defaultListen` when not given).
    func listenAddress(defaultListen: String = "127.0.0.1:7409") throws -> ListenAddress {
        let listen = self.listen ?? defaultListen
        guard let address = ListenAddress(parsing: listen) else {
            throw ValidationError("--listen '\(listen)' is not HOST:PORT")
        }
        return address
    }

    /// The parsed `--metrics` address, if given.
    func metricsAddress() throws -> ListenAddress? {
        guard let metrics else { return nil }
        guard let address = ListenAddress(parsing: metrics) else {
            throw ValidationError("--metrics '\(metrics)' is not HOST:PORT")
        }
        return address
    }

    /// The token from `--token-file` or `CHURN_TOKEN`, trimmed; nil when neither is set.
    func token() throws -> String? {
        try Self.token(file: tokenFile)
    }

    /// The token from the file `tokenFile` (trimmed; an unreadable or empty file is an error), else
    /// from `CHURN_TOKEN`; nil when neither is set.
    static func token(file tokenFile: String?) throws -> String? {
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw ValidationError("cannot read token file '\(tokenFile)'")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("token file '\(tokenFile)' is empty") }
            return token
        }
        if let value = ProcessInfo.processInfo.environment["CHURN_TOKEN"], !value.isEmpty {
            return value
        }
        return nil
    }

    /// The parsed log level.
    func level() throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError(
                "--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }

    /// A server configuration for `role` from these options.
    func configuration(role: String, version: String, defaultListen: String = "127.0.0.1:7409") throws
        -> WireServerConfiguration
    {
        guard eventLoops >= 1, maxConnections >= 1, maxInFlight >= 1, idleTimeout > 0, partialFrameTimeout > 0 else {
            throw ValidationError("--event-loops, --max-connections, --max-in-flight and the timeouts must be positive")
        }
        var configuration = Self.configuration(
            role: role, version: version, address: try listenAddress(defaultListen: defaultListen), token: try token())
        configuration.maxConnections = maxConnections
        configuration.maxInFlight = maxInFlight
        configuration.idleTimeout = .nanoseconds(Int64(idleTimeout * 1e9))
        configuration.partialFrameTimeout = .nanoseconds(Int64(partialFrameTimeout * 1e9))
        return configuration
    }

    /// A server configuration for `role` on `address` with the default limits and timeouts.
    static func configuration(role: String, version: String, address: ListenAddress, token: String?)
        -> WireServerConfiguration
    {
        var configuration = WireServerConfiguration()
        configuration.host = address.host
        configuration.port = address.port
        configuration.token = token
        configuration.roleName = role
        configuration.serverVersion = version
        return configuration
    }
}
