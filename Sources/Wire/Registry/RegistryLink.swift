import NIOCore

/// One lazily opened, reused connection to the registry for a long-running role (the predictor's
/// registry model source, the trainer's registry backend).
///
/// The connection is opened on first use and kept, and re-opened when it has closed (the registry
/// restarted, the idle timeout closed it…). When a call on a kept connection fails for a reason
/// other than the registry's own answer, the connection is dropped and — if the call may be
/// repeated — tried once more on a fresh one; a failure on a fresh connection is final (the caller
/// retries later).
public actor RegistryLink {
    /// Registry host.
    public let host: String
    /// Registry port.
    public let port: Int
    /// Client settings (name, token, timeouts).
    public let configuration: WireClientConfiguration
    private var client: RegistryClient?

    /// A link to `host:port` (nothing is connected until the first call).
    public init(host: String, port: Int, configuration: WireClientConfiguration) {
        self.host = host
        self.port = port
        self.configuration = configuration
    }

    /// Runs `body` on the kept connection (opening one when needed). With `retrying` (for calls
    /// that may safely run twice: reads, idempotent writes) it is tried once more on a fresh
    /// connection when a kept one failed below the protocol; without it the failure is thrown (a
    /// publish whose answer was lost may still have been applied).
    public func run<T: Sendable>(retrying: Bool = true, _ body: @Sendable (RegistryClient) async throws -> T) async throws -> T {
        if let kept = client, kept.wire.isActive {
            do {
                return try await body(kept)
            } catch {
                guard Self.isConnectionFailure(error) else { throw error }
                await drop(kept)
                if !retrying { throw error }
            }
        } else if let kept = client {
            await drop(kept)
        }
        let fresh = try await connect()
        do {
            return try await body(fresh)
        } catch {
            if Self.isConnectionFailure(error) { await drop(fresh) }
            throw error
        }
    }

    /// Closes the kept connection, if any.
    public func close() async {
        if let kept = client {
            client = nil
            await kept.close()
        }
    }

    /// Opens a connection and keeps it (or keeps one another call opened meanwhile).
    private func connect() async throws -> RegistryClient {
        let fresh = try await RegistryClient.connect(host: host, port: port, configuration: configuration)
        if let other = client, other.wire.isActive {
            // Another call connected while this one waited (actor reentrancy): keep one connection.
            await fresh.close()
            return other
        }
        client = fresh
        return fresh
    }

    private func drop(_ kept: RegistryClient) async {
        if client?.wire === kept.wire { client = nil }
        await kept.close()
    }

    /// Whether `error` says the connection failed (so a fresh one may succeed), as opposed to an
    /// answer from the registry or a verification failure.
    public static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let error = error as? WireClientError else { return true }
        switch error {
        case .server, .blobMismatch: return false
        case .timeout, .connectionClosed, .protocolViolation: return true
        }
    }
}
