import NIOCore
import Synchronization

/// Connections to every replica of one role, shared by all callers: each call goes to a replica
/// chosen by the power of two choices (two replicas in rotation at random, the one with fewer
/// calls outstanding), on one of its few pipelined connections.
///
/// A replica leaves the rotation when a connection to it fails or its Health answer is not
/// `serving`. A monitor probes every replica every `probeInterval`. It sends Health to those in
/// rotation. It connects to those out of rotation (and to those in rotation without an open
/// connection) and sends Health, and puts a replica back as soon as it answers `serving`.
///
/// A call that fails because its connection failed, or that a replica answers with `unavailable`,
/// is tried on another replica when `retrying` (reads, and keyed writes, whose keys every attempt
/// repeats: wire.md §2.4). When every replica failed so, the last failure is thrown. A call is never
/// sent to the same replica more than twice (a second time only after a connection that may have
/// been stale failed), and it throws ``RegistryUnreachable`` naming every replica when none could
/// be connected to. Replicas out of rotation are still tried when no replica is in rotation,
/// because one may be back before the next probe.
///
/// An endpoint whose host is a name (not an IP literal) stands for every address the name resolves
/// to (``AddressResolver``; DNS by default), one replica each: `predictor:7402` behind
/// `docker compose --scale predictor=3` is three replicas, shown as `predictor:7402 (172.18.0.5)`.
/// The first call waits for the names to be looked up; the monitor looks them up again every
/// `resolveInterval`, and at once when no replica is left in rotation, as does a call that has
/// tried every replica. New addresses join the rotation once a probe finds them serving; a vanished
/// address leaves at once, and its connections close when its calls have ended. A name that stops
/// resolving keeps its last addresses; one that never resolved is connected to by name. An answer
/// of one address (or one per family, as `localhost` may give) is one replica, as an IP literal is.
public final class WirePool: Sendable {
    /// The role's name in messages (`predictor`, `registry`, `trainer`).
    public let role: String
    /// The endpoints as configured (never empty); names among them may stand for several replicas.
    public let endpoints: [RoleEndpoint]
    private let state: WirePoolState
    private let monitor: WirePoolMonitor
    /// Looks the names up; nil when every endpoint is an IP literal.
    private let refresher: WirePoolRefresher?
    /// A call that failed on every replica looks the names up again unless a lookup started less
    /// than this long ago (so that callers failing together share one).
    public static let failedCallLookupSpacing: Duration = .milliseconds(50)
    /// Whether the first call has started the monitor (checked without an actor hop per call).
    private let monitorStarted = Atomic<Bool>(false)

    /// A pool over `endpoints` (at least one); nothing connects until the first call.
    /// `connectionsPerReplica` pipelined connections are opened to each replica, on demand. Names
    /// are looked up with `resolver` before the first call and every `resolveInterval`.
    public init(
        role: String, endpoints: [RoleEndpoint], configuration: WireClientConfiguration,
        connectionsPerReplica: Int = 2,
        probeInterval: Duration = .milliseconds(250), resolver: any AddressResolver = SystemAddressResolver(),
        resolveInterval: Duration = .seconds(3)
    ) {
        precondition(!endpoints.isEmpty, "a pool needs at least one replica")
        self.role = role
        self.endpoints = endpoints
        state = WirePoolState(endpoints: endpoints, configuration: configuration, slots: max(1, connectionsPerReplica))
        refresher = WirePoolRefresher(endpoints: endpoints, resolver: resolver, state: state)
        monitor = WirePoolMonitor(
            state: state, refresher: refresher, configuration: configuration, interval: probeInterval,
            resolveInterval: resolveInterval)
    }

    /// Runs `body` on a connection to a replica in rotation. Its keyed writes take their keys
    /// from `keys`, restarted on every attempt. With `retrying`, a connection failure moves the
    /// call to another replica.
    public func run<T: Sendable>(
        retrying: Bool = true, keys: IdempotencyKeys = IdempotencyKeys(),
        _ body: (WireClient, IdempotencyKeys) async throws -> T
    ) async throws -> T {
        if !monitorStarted.exchange(true, ordering: .relaxed) { await monitor.start() }
        if let refresher, !refresher.initialized.load(ordering: .acquiring) { try await refresher.refresh() }
        var tried: Set<Int> = []
        var attempts: [RegistryUnreachable.Attempt] = []
        // A connection that failed after the call was sent may just have been stale (the replica
        // restarted): the call gets one more attempt, on any replica, the same one included.
        var staleRetryLeft = true
        var lastFailure: (any Error)?
        // Once per call, after every replica failed: the names are looked up again, in case the
        // replicas moved to new addresses.
        var refreshLeft = refresher != nil
        while true {
            guard let picked = await state.pick(excluding: tried) else {
                guard refreshLeft, let refresher else { break }
                refreshLeft = false
                try await refresher.refresh(unlessWithin: Self.failedCallLookupSpacing)
                continue
            }
            let (index, endpoint) = picked
            tried.insert(index)
            let client: WireClient
            do {
                guard let acquired = try await state.acquire(index) else { continue }  // retired meanwhile
                client = acquired
            } catch {
                if RegistryUnreachable.endsFailover(error) { throw error }
                await state.eject(index, reason: "\(error)")
                attempts.append(.init(endpoint: endpoint, reason: "\(error)"))
                continue
            }
            do {
                let result = try await body(client, keys.restarted())
                await state.ended(index)
                return result
            } catch {
                await state.ended(index)
                let connectionFailed = RegistryLink.isConnectionFailure(error)
                // `unavailable`: the replica is draining or cannot reach its own storage; nothing was applied.
                let notServing = (error as? WireClientError)?.serverCode == .unavailable
                guard connectionFailed || notServing else { throw error }
                await state.eject(index, reason: "\(error)", dropping: connectionFailed ? client : nil)
                if !retrying { throw error }
                lastFailure = error
                attempts.append(.init(endpoint: endpoint, reason: "\(error)"))
                if connectionFailed && staleRetryLeft {
                    staleRetryLeft = false
                    tried.remove(index)
                }
            }
        }
        // The last replica's own failure (a timeout, `unavailable`) says more than "unreachable".
        if let lastFailure { throw lastFailure }
        throw RegistryUnreachable(attempts: attempts, role: role)
    }

    /// Each replica (a name's resolved addresses each), whether it is in rotation, its calls
    /// outstanding, and why it left the rotation.
    public func replicas() async -> [WirePoolReplica] {
        await state.snapshot()
    }

    /// Stops the monitor and closes every connection.
    public func close() async {
        await monitor.stop()
        await state.close()
    }
}

/// One replica of a ``WirePool`` as seen now.
public struct WirePoolReplica: Sendable, Equatable {
    /// Its address: as configured, with the address its name resolved to (``RoleEndpoint/address``).
    public var endpoint: RoleEndpoint
    /// Whether calls go to it.
    public var inRotation: Bool
    /// Calls on it now.
    public var outstanding: Int
    /// Why it is out of rotation (nil when in).
    public var reason: String?
}
