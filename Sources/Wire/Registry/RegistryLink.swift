import NIOCore

/// One lazily opened, reused connection to the registry for a long-running role (the predictor's
/// registry model source, the trainer's registry backend), failing over across a list of replicas.
///
/// The connection is opened on first use and kept, and re-opened when it has closed (the registry
/// restarted, the idle timeout closed it…). When a call on a kept connection fails for a reason
/// other than the registry's own answer, the connection is dropped and — if the call may be
/// repeated — tried on a fresh one. Fresh connections are opened to each address once per call,
/// starting from the one that last worked and moving on to the next after a failure (and to the
/// first one once more when a call failed after being sent); when all have failed the call throws
/// ``RegistryUnreachable`` naming every address and why.
///
/// Each call's keyed writes (publish, push, alias moves, delete) carry idempotency keys from one
/// ``IdempotencyKeys`` sequence, repeated from its start on every attempt: replicas that share
/// their storage (PostgreSQL, docs/scaling.md) apply each write once however often it is sent, and
/// answer a repeat with the first answer. A call with `retrying: false` is still never sent twice:
/// after a failure on an established connection its error is thrown. A failure to connect sends
/// nothing, so the next address is always tried.
public actor RegistryLink {
    /// The registry replicas, in the order they are tried.
    public let endpoints: RegistryEndpoints
    /// Client settings (name, token, timeouts).
    public let configuration: WireClientConfiguration
    private var client: RegistryClient?
    /// The index in `endpoints` of the kept connection's address, or of the one to try first.
    private var current = 0

    /// A link to the replicas `endpoints` (nothing is connected until the first call).
    public init(endpoints: RegistryEndpoints, configuration: WireClientConfiguration) {
        self.endpoints = endpoints
        self.configuration = configuration
    }

    /// A link to the one registry at `host:port`.
    public init(host: String, port: Int, configuration: WireClientConfiguration) {
        self.init(endpoints: RegistryEndpoints(host: host, port: port), configuration: configuration)
    }

    /// The address the link uses now (the kept connection's, or the next one it will try).
    public var currentEndpoint: RegistryEndpoint { endpoints.all[current] }

    /// Runs `body` on the kept connection (opening one when needed), its keyed writes keyed from
    /// `keys` (a fresh sequence unless given). With `retrying` it is tried again on a fresh connection
    /// — to the same address first, then the next ones — when a connection failed below the
    /// protocol; without it such a failure is thrown (a publish whose answer was lost may still
    /// have been applied). Failures to connect always move on to the next address.
    public func run<T: Sendable>(
        retrying: Bool = true, keys: IdempotencyKeys = IdempotencyKeys(), _ body: @Sendable (RegistryClient) async throws -> T
    ) async throws -> T {
        if let kept = client, kept.wire.isActive {
            do {
                return try await body(RegistryClient(wire: kept.wire, keys: keys.restarted()))
            } catch {
                guard Self.isConnectionFailure(error) else { throw error }
                await drop(kept)
                if !retrying { throw error }
            }
        } else if let kept = client {
            await drop(kept)
        }
        var attempts: [RegistryUnreachable.Attempt] = []
        let start = current
        // Each address once; the first one once more when a call failed after it was sent (a
        // connection cut with one replica, or every replica, is then given one more chance).
        var sentAndFailed = false
        for step in 0...endpoints.count {
            if step == endpoints.count && !sentAndFailed { break }
            let index = (start + step) % endpoints.count
            let endpoint = endpoints.all[index]
            let fresh: RegistryClient
            do {
                fresh = try await connect(index)
            } catch {
                if RegistryUnreachable.isRefusal(error) { throw error }
                // Nothing was sent: the next address may always be tried.
                attempts.append(.init(endpoint: endpoint, reason: "\(error)"))
                continue
            }
            do {
                return try await body(RegistryClient(wire: fresh.wire, keys: keys.restarted()))
            } catch {
                guard Self.isConnectionFailure(error) else { throw error }
                await drop(fresh)
                if !retrying { throw error }
                sentAndFailed = true
                attempts.append(.init(endpoint: endpoint, reason: "\(error)"))
            }
        }
        throw RegistryUnreachable(attempts: attempts)
    }

    /// Closes the kept connection, if any.
    public func close() async {
        if let kept = client {
            client = nil
            await kept.close()
        }
    }

    /// Opens a connection to address `index` and keeps it (or keeps one another call opened
    /// meanwhile).
    private func connect(_ index: Int) async throws -> RegistryClient {
        let endpoint = endpoints.all[index]
        let fresh = try await RegistryClient.connect(host: endpoint.host, port: endpoint.port, configuration: configuration)
        if let other = client, other.wire.isActive {
            // Another call connected while this one waited (actor reentrancy): keep one connection.
            await fresh.close()
            return other
        }
        client = fresh
        current = index
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
