import ChurnClient
import ChurnML
import Foundation
import Logging
import Predictor
import Registry
import ServiceKit
import ServiceLifecycle
import Testing
import Wire

/// A real registry (RegistryStore + RegistryHandler on a WireServer) in this process, over a
/// data directory, on a given port (0: a free one) so a test can restart it on the same address.
struct TestRegistry {
    /// The registry's server.
    let server: WireServer
    /// The group running it.
    let group: ServiceGroup
    /// The task running the group.
    let task: Task<Void, any Error>
    /// The port it listens on.
    let port: Int
    /// Its data directory.
    let directory: String
    /// The store, closed by `stop()` (which frees its data directory at once).
    let store: RegistryStore

    /// Opens the store in `directory` and serves it on `port`.
    static func start(directory: String, port: Int = 0) async throws -> TestRegistry {
        var configuration = WireServerConfiguration()
        configuration.port = port
        configuration.roleName = "registry"
        configuration.serverVersion = "test"
        var logger = Logger(label: "test-registry")
        logger.logLevel = .critical
        let store = try RegistryStore(directory: directory, logger: logger)
        let handler = RegistryHandler(store: store, gcGraceMillis: 60_000, logger: logger)
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try await handler.attach(to: server.events, retention: configuration.eventRetention)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return TestRegistry(
            server: server, group: group, task: task, port: address.port ?? 0, directory: directory, store: store)
    }

    /// Stops the server and waits for it (closing every connection, subscriptions included).
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        await store.close()
    }

    /// A client connection.
    func client() async throws -> RegistryClient {
        try await RegistryClient.connect(
            host: "127.0.0.1", port: port, configuration: WireClientConfiguration(clientName: "test"))
    }

    /// The path of a blob in the data directory (`blobs/sha256/ab/abcdef…`).
    func blobPath(_ sha256: String) -> String {
        directory + "/blobs/sha256/" + sha256.prefix(2) + "/" + sha256
    }
}

/// A predictor on a ``RegistryModelSource``, following its changes like `churn serve predictor
/// --registry` does (the first load before the server listens, then ``ModelLoader/followChanges()``).
struct RegistryPredictor {
    /// The predictor's server, store and loader.
    let running: RunningPredictor
    /// Its model source.
    let source: RegistryModelSource
    /// The task following the source's changes.
    let follow: Task<Void, Never>

    /// Starts a predictor following `churn@production` in the registry on `registryPort`.
    static func start(registryPort: Int, instance: String = "test-predictor", name: String = "churn") async throws
        -> RegistryPredictor
    {
        let source = RegistryModelSource(host: "127.0.0.1", port: registryPort, name: name, instance: instance)
        let running = try await RunningPredictor.start(source: source)
        let loader = running.loader
        let follow = Task { await loader.followChanges() }
        return RegistryPredictor(running: running, source: source, follow: follow)
    }

    /// Stops following and serving.
    func stop() async throws {
        follow.cancel()
        await follow.value
        try await running.stop()
    }

    /// A new connected client.
    func client() async throws -> WireClient { try await running.client() }
}

/// Polling helpers shared by the registry-source tests.
enum Eventually {
    /// Calls `probe` every 50 ms until it returns true or `seconds` pass; returns the seconds it took (nil: never).
    static func within(_ seconds: Double, _ probe: () async throws -> Bool) async rethrows -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            if try await probe() { return Date().timeIntervalSince(start) }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return try await probe() ? Date().timeIntervalSince(start) : nil
    }
}

extension WireClient {
    /// The version a Predict of `table` is answered by (nil when it fails).
    func answeringVersion(_ table: Table) async -> String? {
        try? await send(PredictRequest(table: table)).version
    }

    /// The predictor's Health.
    func health() async throws -> HealthResponse {
        try await send(HealthRequest())
    }
}

extension RegistryClient {
    /// The deployments the registry lists for `name` (ModelShow of its latest version).
    func deployments(of name: String) async throws -> [Deployment] {
        try await model(name).deployments
    }
}
