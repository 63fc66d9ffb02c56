import NIOCore

/// The mutable part of a ``WirePool``: per replica, its connections, calls outstanding and
/// whether it is in rotation. Calls run outside this actor; they only pick, count and report here.
actor WirePoolState {
    struct Replica {
        var endpoint: RegistryEndpoint
        var clients: [WireClient?]
        var nextSlot = 0
        var outstanding = 0
        var inRotation = true
        var reason: String?
    }

    private var replicas: [Replica]
    private let configuration: WireClientConfiguration
    private var random = SystemRandomNumberGenerator()

    init(endpoints: [RegistryEndpoint], configuration: WireClientConfiguration, slots: Int) {
        replicas = endpoints.map { Replica(endpoint: $0, clients: Array(repeating: nil, count: slots)) }
        self.configuration = configuration
    }

    /// The replica for the next call, not one of `tried`: of two in rotation picked at random, the
    /// one with fewer calls outstanding; when none is in rotation, the first untried one.
    func pick(excluding tried: Set<Int>) -> Int? {
        let candidates = replicas.indices.filter { replicas[$0].inRotation && !tried.contains($0) }
        switch candidates.count {
        case 0:
            return replicas.indices.first { !tried.contains($0) }
        case 1:
            return candidates[0]
        default:
            let first = Int.random(in: 0..<candidates.count, using: &random)
            var second = Int.random(in: 0..<(candidates.count - 1), using: &random)
            if second >= first { second += 1 }
            let (a, b) = (candidates[first], candidates[second])
            return replicas[b].outstanding < replicas[a].outstanding ? b : a
        }
    }

    /// An open connection to replica `index` (its next slot's, opened when needed), counting the
    /// call that will run on it as outstanding (until `ended`).
    func acquire(_ index: Int) async throws -> WireClient {
        let client = try await connection(index)
        replicas[index].outstanding += 1
        return client
    }

    private func connection(_ index: Int) async throws -> WireClient {
        let slot = replicas[index].nextSlot % replicas[index].clients.count
        replicas[index].nextSlot &+= 1
        if let client = replicas[index].clients[slot], client.isActive { return client }
        let endpoint = replicas[index].endpoint
        let client = try await WireClient.connect(host: endpoint.host, port: endpoint.port, configuration: configuration)
        if let other = replicas[index].clients[slot], other.isActive {
            // Another call filled the slot meanwhile.
            await client.close()
            return other
        }
        replicas[index].clients[slot] = client
        return client
    }

    /// A call ended on replica `index`.
    func ended(_ index: Int) { replicas[index].outstanding -= 1 }

    /// Takes replica `index` out of rotation (closing `client`, whose connection failed).
    func eject(_ index: Int, reason: String, dropping client: WireClient? = nil) async {
        replicas[index].inRotation = false
        replicas[index].reason = reason
        if let client {
            for slot in replicas[index].clients.indices where replicas[index].clients[slot] === client {
                replicas[index].clients[slot] = nil
            }
            await client.close()
        }
    }

    /// Puts replica `index` back in rotation, keeping `client` (a connection that just answered
    /// Health) in an empty slot.
    func admit(_ index: Int, client: WireClient) async {
        replicas[index].inRotation = true
        replicas[index].reason = nil
        if let slot = replicas[index].clients.firstIndex(where: { $0?.isActive != true }) {
            replicas[index].clients[slot] = client
        } else {
            await client.close()
        }
    }

    /// What the monitor probes: per replica, whether it is in rotation and an open connection.
    func probeTargets() -> [(index: Int, endpoint: RegistryEndpoint, inRotation: Bool, client: WireClient?)] {
        replicas.indices.map { index in
            (index, replicas[index].endpoint, replicas[index].inRotation, replicas[index].clients.first { $0?.isActive == true } ?? nil)
        }
    }

    /// The replicas as seen now.
    func snapshot() -> [WirePoolReplica] {
        replicas.map { WirePoolReplica(endpoint: $0.endpoint, inRotation: $0.inRotation, outstanding: $0.outstanding, reason: $0.reason) }
    }

    /// Closes every connection.
    func close() async {
        for index in replicas.indices {
            for client in replicas[index].clients { await client?.close() }
            replicas[index].clients = replicas[index].clients.map { _ in nil }
        }
    }
}
