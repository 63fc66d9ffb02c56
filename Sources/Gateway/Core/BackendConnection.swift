import Logging
import ServiceKit
import Wire

/// A few lazily opened wire connections to one role, shared by every HTTP request. Requests are
/// pipelined on them (the wire client matches answers by correlation id) and spread round-robin, so
/// `size` connections carry up to `size × maxInFlight` concurrent calls; a connection found closed
/// (the role restarted) is dropped and the next caller of its slot opens a new one.
actor BackendConnection {
    /// The role's name in messages (`predictor`, `registry`, `trainer`).
    let role: String
    /// Where the role listens.
    let address: ListenAddress
    private let configuration: WireClientConfiguration
    private var slots: [WireClient?]
    private var connecting: [Task<WireClient, any Error>?]
    private var next = 0

    /// Creates the (not yet opened) connections, `size` of them (at least one).
    init(role: String, address: ListenAddress, configuration: WireClientConfiguration, size: Int = 4) {
        self.role = role
        self.address = address
        self.configuration = configuration
        slots = Array(repeating: nil, count: max(1, size))
        connecting = Array(repeating: nil, count: max(1, size))
    }

    /// An open connection (the next slot's, opening it if needed); throws ``GatewayError`` (503)
    /// when the role cannot be reached or refuses Hello.
    func client() async throws -> WireClient {
        let slot = next % slots.count
        next &+= 1
        if let current = slots[slot], current.isActive { return current }
        slots[slot] = nil
        if let pending = connecting[slot] {
            do {
                return try await pending.value
            } catch {
                throw GatewayError.unreachable(role: role, address: address, reason: error)
            }
        }
        let address = address
        let configuration = configuration
        let task = Task {
            try await WireClient.connect(host: address.host, port: address.port, configuration: configuration)
        }
        connecting[slot] = task
        defer { connecting[slot] = nil }
        do {
            let client = try await task.value
            slots[slot] = client
            return client
        } catch {
            throw GatewayError.unreachable(role: role, address: address, reason: error)
        }
    }

    /// Drops `client` from its slot and closes it (after a failure on it).
    func drop(_ client: WireClient) async {
        for index in slots.indices where slots[index] === client { slots[index] = nil }
        await client.close()
    }

    /// Closes every connection (at shutdown).
    func close() async {
        for task in connecting { task?.cancel() }
        for client in slots { await client?.close() }
        slots = slots.map { _ in nil }
    }
}
