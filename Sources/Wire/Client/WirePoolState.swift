import NIOCore
import NIOPosix

/// The mutable part of a ``WirePool``: per replica, its connections, calls outstanding and
/// whether it is in rotation. Calls run outside this actor; they only pick, count and report here.
///
/// Replicas are known by an id that never changes, because the set of replicas does: each
/// configured endpoint (a `source`) stands for the replicas its name resolves to, replaced by
/// ``update(source:to:admitNew:)``. A replica whose address vanished is retired: it takes no new
/// calls, and its connections are closed when its last outstanding call ends.
actor WirePoolState {
    struct Replica {
        let id: Int
        /// The index of the configured endpoint it comes from.
        let source: Int
        var endpoint: RoleEndpoint
        var clients: [WireClient?]
        var nextSlot = 0
        var outstanding = 0
        var inRotation = true
        var reason: String?
    }

    /// A replica the monitor probes.
    struct ProbeTarget: Sendable {
        var id: Int
        var endpoint: RoleEndpoint
        var inRotation: Bool
        var client: WireClient?
    }

    /// The replicas calls may go to, grouped by source in source order.
    private var replicas: [Replica] = []
    /// Retired replicas whose calls have not all ended yet, by id.
    private var retiring: [Int: Replica] = [:]
    private var nextID = 0
    private let slots: Int
    private let configuration: WireClientConfiguration
    private var random = SystemRandomNumberGenerator()
    /// One slot of one replica.
    private struct SlotKey: Hashable {
        var replica: Int
        var slot: Int
    }

    /// The connections being opened, one attempt per slot: a burst of calls at a cold pool opens
    /// one connection per slot, not one per call (600 concurrent calls had opened up to 600
    /// connections, whose Hellos then timed out on a loaded machine).
    private var opening: [SlotKey: EventLoopFuture<WireClient?>] = [:]
    /// Set by ``close()``: no connection opens any more.
    private var closed = false

    init(endpoints: [RoleEndpoint], configuration: WireClientConfiguration, slots: Int) {
        self.configuration = configuration
        self.slots = slots
        replicas = endpoints.indices.map { source in
            Replica(
                id: source, source: source, endpoint: endpoints[source], clients: Array(repeating: nil, count: slots))
        }
        nextID = endpoints.count
    }

    private func position(_ id: Int) -> Int? { replicas.firstIndex { $0.id == id } }

    /// The replica for the next call, not one of `tried`: of two in rotation picked at random, the
    /// one with fewer calls outstanding; when none is in rotation, the first untried one.
    func pick(excluding tried: Set<Int>) -> (id: Int, endpoint: RoleEndpoint)? {
        let candidates = replicas.indices.filter { replicas[$0].inRotation && !tried.contains(replicas[$0].id) }
        let chosen: Int?
        switch candidates.count {
        case 0:
            chosen = replicas.indices.first { !tried.contains(replicas[$0].id) }
        case 1:
            chosen = candidates[0]
        default:
            let first = Int.random(in: 0..<candidates.count, using: &random)
            var second = Int.random(in: 0..<(candidates.count - 1), using: &random)
            if second >= first { second += 1 }
            let (a, b) = (candidates[first], candidates[second])
            chosen = replicas[b].outstanding < replicas[a].outstanding ? b : a
        }
        return chosen.map { (replicas[$0].id, replicas[$0].endpoint) }
    }

    /// An open connection to replica `id` (its next slot's, opened when needed), counting the call
    /// that will run on it as outstanding (until `ended`); nil when the replica was retired.
    func acquire(_ id: Int) async throws -> WireClient? {
        guard let client = try await connection(id), let index = position(id) else { return nil }
        replicas[index].outstanding += 1
        return client
    }

    private func connection(_ id: Int) async throws -> WireClient? {
        while true {
            if closed { throw WireClientError.connectionClosed }
            guard let index = position(id) else { return nil }
            let slot = replicas[index].nextSlot % replicas[index].clients.count
            replicas[index].nextSlot &+= 1
            if let client = replicas[index].clients[slot], client.isActive { return client }
            let key = SlotKey(replica: id, slot: slot)
            let attempt = opening[key] ?? open(key, endpoint: replicas[index].endpoint)
            if let client = try await attempt.getUnlessCancelled() { return client }
        }
    }

    /// Starts opening the connection of slot `key`, in a task of its own: a call that gives up
    /// (its task is cancelled) does not end the attempt that other calls wait for. The future
    /// ends with the slot's connection, or nil when the replica was retired or the pool closed
    /// meanwhile.
    private func open(_ key: SlotKey, endpoint: RoleEndpoint) -> EventLoopFuture<WireClient?> {
        let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: WireClient?.self)
        opening[key] = promise.futureResult
        let configuration = configuration
        Task {
            do {
                let client = try await WireClient.connect(
                    host: endpoint.connectHost, port: endpoint.port, configuration: configuration)
                promise.succeed(await opened(key, client))
            } catch {
                opening[key] = nil
                promise.fail(error)
            }
        }
        return promise.futureResult
    }

    /// Slot `key`'s connection opened: it fills the slot, unless the replica was retired, the pool
    /// closed, or another connection filled the slot meanwhile (then it closes). Returns the slot's
    /// connection.
    private func opened(_ key: SlotKey, _ client: WireClient) async -> WireClient? {
        opening[key] = nil
        var kept: WireClient?
        if !closed, let index = position(key.replica) {
            if let other = replicas[index].clients[key.slot], other.isActive {
                kept = other
            } else {
                replicas[index].clients[key.slot] = client
                kept = client
            }
        }
        if kept !== client { await client.close() }
        return kept
    }

    /// A call ended on replica `id`; a retired replica's connections close with its last call.
    func ended(_ id: Int) async {
        if let index = position(id) {
            replicas[index].outstanding -= 1
        } else if var replica = retiring[id] {
            replica.outstanding -= 1
            if replica.outstanding > 0 {
                retiring[id] = replica
            } else {
                retiring[id] = nil
                for client in replica.clients { await client?.close() }
            }
        }
    }

    /// Takes replica `id` out of rotation (closing `client`, whose connection failed).
    func eject(_ id: Int, reason: String, dropping client: WireClient? = nil) async {
        if let index = position(id) {
            replicas[index].inRotation = false
            replicas[index].reason = reason
            if let client {
                for slot in replicas[index].clients.indices where replicas[index].clients[slot] === client {
                    replicas[index].clients[slot] = nil
                }
            }
        }
        await client?.close()
    }

    /// Puts replica `id` back in rotation, keeping `client` (a connection that just answered
    /// Health) in an empty slot.
    func admit(_ id: Int, client: WireClient) async {
        guard let index = position(id) else {
            await client.close()
            return
        }
        replicas[index].inRotation = true
        replicas[index].reason = nil
        if let slot = replicas[index].clients.firstIndex(where: { $0?.isActive != true }) {
            replicas[index].clients[slot] = client
        } else {
            await client.close()
        }
    }

    /// Makes `endpoints` the replicas of configured endpoint `source`: replicas already there
    /// (the same endpoint and address) stay as they are, new ones join — in rotation when
    /// `admitNew`, else out of rotation until a probe finds them serving — and the others are
    /// retired. Returns whether anything changed.
    @discardableResult
    func update(source: Int, to endpoints: [RoleEndpoint], admitNew: Bool) async -> Bool {
        let current = replicas.filter { $0.source == source }
        var kept: [Replica] = []
        for endpoint in endpoints where !kept.contains(where: { $0.endpoint == endpoint }) {
            if let existing = current.first(where: { $0.endpoint == endpoint }) {
                kept.append(existing)
            } else {
                var replica = Replica(
                    id: nextID, source: source, endpoint: endpoint, clients: Array(repeating: nil, count: slots))
                nextID += 1
                if !admitNew {
                    replica.inRotation = false
                    replica.reason = "new address, not probed yet"
                }
                kept.append(replica)
            }
        }
        let retired = current.filter { old in !kept.contains { $0.id == old.id } }
        guard !retired.isEmpty || kept.count != current.count else { return false }
        replicas = replicas.filter { $0.source < source } + kept + replicas.filter { $0.source > source }
        for replica in retired {
            if replica.outstanding > 0 {
                retiring[replica.id] = replica
            } else {
                for client in replica.clients { await client?.close() }
            }
        }
        return true
    }

    /// Whether any replica is in rotation.
    var anyInRotation: Bool { replicas.contains { $0.inRotation } }

    /// The ids of the replicas now (to tell which ones a refresh added).
    var ids: Set<Int> { Set(replicas.map(\.id)) }

    /// What the monitor probes: per replica, whether it is in rotation and an open connection.
    func probeTargets() -> [ProbeTarget] {
        replicas.map { replica in
            ProbeTarget(
                id: replica.id, endpoint: replica.endpoint, inRotation: replica.inRotation,
                client: replica.clients.first { $0?.isActive == true } ?? nil)
        }
    }

    /// The replicas as seen now.
    func snapshot() -> [WirePoolReplica] {
        replicas.map {
            WirePoolReplica(
                endpoint: $0.endpoint, inRotation: $0.inRotation, outstanding: $0.outstanding, reason: $0.reason)
        }
    }

    /// Closes every connection, the retired replicas' too.
    func close() async {
        closed = true
        for index in replicas.indices {
            for client in replicas[index].clients { await client?.close() }
            replicas[index].clients = replicas[index].clients.map { _ in nil }
        }
        for replica in retiring.values {
            for client in replica.clients { await client?.close() }
        }
        retiring = [:]
    }
}
