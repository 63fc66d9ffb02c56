import Logging
import ServiceKit
import Wire

/// A few lazily opened wire connections to one role, shared by every HTTP request. Requests are
/// pipelined on them (the wire client matches answers by correlation id) and spread round-robin, so
/// `size` connections carry up to `size × maxInFlight` concurrent calls; a connection found closed
/// (the role restarted) is dropped and the next caller of its slot opens a new one.
///
/// With several addresses (registry replicas) a new connection goes to the address that last
/// accepted one, else to the next ones in order, each tried once.
actor BackendConnection {
    /// The role's name in messages (`predictor`, `registry`, `trainer`).
    let role: String
    /// Where the role listens (several replicas, tried in order; never empty).
    let addresses: [ListenAddress]
    /// The addresses as given: `host:port`, comma-separated when there are several.
    nonisolated var address: String { addresses.map(\.description).joined(separator: ",") }
    private let configuration: WireClientConfiguration
    private var slots: [WireClient?]
    private var connecting: [Task<(WireClient, Int), any Error>?]
    private var next = 0
    /// The index in `addresses` that last accepted a connection (tried first).
    private var preferred = 0

    /// Creates the (not yet opened) connections, `size` of them (at least one), to `addresses`
    /// (at least one).
    init(role: String, addresses: [ListenAddress], configuration: WireClientConfiguration, size: Int = 4) {
        self.role = role
        self.addresses = addresses
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
                return try await pending.value.0
            } catch {
                throw unreachable(error)
            }
        }
        let targets = addresses
        let order = (0..<targets.count).map { [preferred] in (preferred + $0) % targets.count }
        let configuration = configuration
        let task = Task {
            var attempts: [RegistryUnreachable.Attempt] = []
            for index in order {
                let address = targets[index]
                do {
                    let client = try await WireClient.connect(host: address.host, port: address.port, configuration: configuration)
                    return (client, index)
                } catch {
                    if targets.count == 1 || RegistryUnreachable.isRefusal(error) { throw error }
                    attempts.append(.init(endpoint: RegistryEndpoint(host: address.host, port: address.port), reason: "\(error)"))
                }
            }
            throw RegistryUnreachable(attempts: attempts)
        }
        connecting[slot] = task
        defer { connecting[slot] = nil }
        do {
            let (client, index) = try await task.value
            preferred = index
            slots[slot] = client
            return client
        } catch {
            throw unreachable(error)
        }
    }

    /// The 503 for a failure to connect: names the one address, or lists every replica's failure.
    private func unreachable(_ error: any Error) -> GatewayError {
        if error is RegistryUnreachable {
            return GatewayError(status: .serviceUnavailable, code: "\(role)_unreachable", message: "the \(role) cannot be reached: \(error)")
        }
        return GatewayError.unreachable(role: role, address: address, reason: error)
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
