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
///
/// An endpoint whose host is a name stands for every address it resolves to (see
/// ``RoleEndpoint/replicas(resolvedTo:)``), tried one after the other in the resolver's order:
/// `registry:7400` behind three containers is three addresses to fail over between. Names are
/// looked up whenever a fresh connection is needed; one that does not resolve keeps the addresses
/// it last had, or is connected to by name when it never resolved.
public actor RegistryLink {
    /// The registry replicas, in the order they are tried.
    public let endpoints: RoleEndpoints
    /// Client settings (name, token, timeouts).
    public let configuration: WireClientConfiguration
    private let resolver: any AddressResolver
    private var client: RegistryClient?
    /// The kept connection's address, or the one to try first (nil: the first one).
    private var current: RoleEndpoint?
    /// The addresses each named endpoint last resolved to, by its index in `endpoints`.
    private var known: [Int: [RoleEndpoint]] = [:]

    /// A link to the replicas `endpoints` (nothing is connected until the first call), looking
    /// names up with `resolver`.
    public init(
        endpoints: RoleEndpoints, configuration: WireClientConfiguration,
        resolver: any AddressResolver = SystemAddressResolver()
    ) {
        self.endpoints = endpoints
        self.configuration = configuration
        self.resolver = resolver
    }

    /// A link to the one registry at `host:port`.
    public init(host: String, port: Int, configuration: WireClientConfiguration) {
        self.init(endpoints: RoleEndpoints(host: host, port: port), configuration: configuration)
    }

    /// The address the link uses now (the kept connection's, or the next one it will try), with
    /// the address its name resolved to when it is one of several.
    public var currentEndpoint: RoleEndpoint { current ?? endpoints.first }

    /// Runs `body` on the kept connection (opening one when needed), its keyed writes keyed from
    /// `keys` (a fresh sequence unless given). With `retrying` it is tried again on a fresh connection
    /// — to the same address first, then the next ones — when a connection failed below the
    /// protocol; without it such a failure is thrown (a publish whose answer was lost may still
    /// have been applied). Failures to connect always move on to the next address.
    public func run<T: Sendable>(
        retrying: Bool = true, keys: IdempotencyKeys = IdempotencyKeys(),
        _ body: @Sendable (RegistryClient) async throws -> T
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
        let targets = await targets()
        let start = current.flatMap { targets.firstIndex(of: $0) } ?? 0
        // Each address once; the first one once more when a call failed after it was sent (a
        // connection cut with one replica, or every replica, is then given one more chance).
        var sentAndFailed = false
        for step in 0...targets.count {
            if step == targets.count && !sentAndFailed { break }
            let endpoint = targets[(start + step) % targets.count]
            let fresh: RegistryClient
            do {
                fresh = try await connect(endpoint)
            } catch {
                if RegistryUnreachable.endsFailover(error) { throw error }
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

    /// Every address to try, in order: each endpoint's resolved addresses in the resolver's
    /// order (the last known ones when its name does not resolve now, itself when it never did).
    private func targets() async -> [RoleEndpoint] {
        var targets: [RoleEndpoint] = []
        for (index, endpoint) in endpoints.all.enumerated() {
            if let resolved = await endpoint.resolve(with: resolver) { known[index] = resolved }
            targets += known[index] ?? [endpoint]
        }
        return targets
    }

    /// Opens a connection to `endpoint` and keeps it (or keeps one another call opened meanwhile).
    private func connect(_ endpoint: RoleEndpoint) async throws -> RegistryClient {
        let fresh = try await RegistryClient.connect(
            host: endpoint.connectHost, port: endpoint.port, configuration: configuration)
        if let other = client, other.wire.isActive {
            // Another call connected while this one waited (actor reentrancy): keep one connection.
            await fresh.close()
            return other
        }
        client = fresh
        current = endpoint
        return fresh
    }

    private func drop(_ kept: RegistryClient) async {
        if client?.wire === kept.wire { client = nil }
        await kept.close()
    }

    /// Whether `error` says the connection failed (so a fresh one may succeed), as opposed to an
    /// answer from the registry or a verification failure.
    public static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is CancellationError { return false }  // the caller gave up; the connection is fine
        guard let error = error as? WireClientError else { return true }
        switch error {
        case .server, .blobMismatch: return false
        case .timeout, .connectionClosed, .protocolViolation: return true
        }
    }
}
