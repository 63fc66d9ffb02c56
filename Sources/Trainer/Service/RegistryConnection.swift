import Wire

/// One shared connection to the registry, opened on first use and re-opened when it has closed
/// (the registry restarted, say), so a job after a registry outage just works.
actor RegistryConnection {
    /// Registry host.
    let host: String
    /// Registry port.
    let port: Int
    /// Client name and token.
    let configuration: WireClientConfiguration
    private var client: RegistryClient?

    /// A connection to `host:port`, not opened yet.
    init(host: String, port: Int, configuration: WireClientConfiguration) {
        self.host = host
        self.port = port
        self.configuration = configuration
    }

    /// An open client.
    func get() async throws -> RegistryClient {
        if let client, client.wire.isActive { return client }
        let fresh = try await RegistryClient.connect(host: host, port: port, configuration: configuration)
        client = fresh
        return fresh
    }

    /// Closes the connection.
    func close() async {
        await client?.close()
        client = nil
    }
}
