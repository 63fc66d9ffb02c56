import Logging
import ServiceKit
import Wire

/// One lazily opened, shared wire connection to a role. Requests are pipelined on it (the wire
/// client matches answers by correlation id), so one connection serves every HTTP request; a
/// connection found closed is dropped and the next caller opens a new one.
actor BackendConnection {
    /// The role's name in messages (`predictor`, `registry`, `trainer`).
    let role: String
    /// Where the role listens.
    let address: ListenAddress
    private let configuration: WireClientConfiguration
    private var current: WireClient?
    private var connecting: Task<WireClient, any Error>?

    /// Creates the (not yet opened) connection.
    init(role: String, address: ListenAddress, configuration: WireClientConfiguration) {
        self.role = role
        self.address = address
        self.configuration = configuration
    }

    /// The open connection, opening one if needed; throws ``GatewayError`` (503) when the role
    /// cannot be reached or refuses Hello.
    func client() async throws -> WireClient {
        if let current, current.isActive { return current }
        current = nil
        if let connecting { return try await connecting.value }
        let address = address
        let configuration = configuration
        let task = Task {
            try await WireClient.connect(host: address.host, port: address.port, configuration: configuration)
        }
        connecting = task
        defer { connecting = nil }
        do {
            let client = try await task.value
            current = client
            return client
        } catch {
            throw GatewayError.unreachable(role: role, address: address, reason: error)
        }
    }

    /// Drops `client` if it is the current connection and closes it (after a failure on it).
    func drop(_ client: WireClient) async {
        if current === client { current = nil }
        await client.close()
    }

    /// Closes the connection (at shutdown).
    func close() async {
        connecting?.cancel()
        if let current { await current.close() }
        current = nil
    }
}
