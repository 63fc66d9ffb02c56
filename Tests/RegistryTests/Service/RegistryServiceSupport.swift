import Logging
import NIOCore
import ServiceKit
import ServiceLifecycle
import Wire

@testable import Registry

/// A registry server on port 0 over a data directory, running in its own ServiceGroup.
struct RunningRegistry {
    let server: WireServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int
    /// The store, closed by `stop()` (which frees its data directory at once).
    let store: RegistryStore

    /// Opens the store in `directory` and serves it.
    static func start(directory: String, token: String? = nil, retention: Int = 4096) async throws -> RunningRegistry {
        var logger = Logger(label: "test-registry")
        logger.logLevel = .critical
        return try await start(
            store: try RegistryStore(directory: directory, logger: logger), token: token, retention: retention)
    }

    /// Serves an open store (closed by `stop()`).
    static func start(store: RegistryStore, token: String? = nil, retention: Int = 4096) async throws -> RunningRegistry
    {
        var configuration = WireServerConfiguration()
        configuration.port = 0
        configuration.roleName = "registry"
        configuration.token = token
        configuration.eventRetention = retention
        var logger = Logger(label: "test-registry")
        logger.logLevel = .critical
        let handler = RegistryHandler(store: store, gcGraceMillis: 0, logger: logger)
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try await handler.attach(to: server.events, retention: retention)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return RunningRegistry(server: server, group: group, task: task, port: address.port ?? 0, store: store)
    }

    /// Stops the server and waits for it (the store is released with the handler).
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        await store.close()
    }

    /// A client connection.
    func client(token: String? = nil) async throws -> RegistryClient {
        try await RegistryClient.connect(
            host: "127.0.0.1", port: port, configuration: WireClientConfiguration(clientName: "test", token: token))
    }
}

/// The server error code of `error`, if it is one.
func serverCode(_ error: any Error) -> WireErrorCode? {
    (error as? WireClientError)?.serverCode
}

/// The server error message of `error`, if it is one.
func serverMessage(_ error: any Error) -> String {
    if case .server(_, let message, _) = error as? WireClientError { return message }
    return "\(error)"
}
