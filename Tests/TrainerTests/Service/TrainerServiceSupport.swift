import Foundation
import Logging
import NIOCore
import Registry
import ServiceKit
import ServiceLifecycle
import Trainer
import Wire

/// A role's WireServer on port 0, running in its own ServiceGroup.
struct RunningServer {
    let server: WireServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int

    /// Serves `handler`; `prepare` sees the server before it runs (to attach event hubs).
    static func start(
        role: String, handler: any WireRequestHandler, token: String? = nil,
        prepare: (WireServer) async throws -> Void = { _ in }
    ) async throws -> RunningServer {
        var configuration = WireServerConfiguration()
        configuration.port = 0
        configuration.roleName = role
        configuration.token = token
        let server = WireServer(configuration: configuration, handler: handler, logger: quietLogger)
        try await prepare(server)
        let group = ServiceGroup(configuration: .init(services: [server], logger: quietLogger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return RunningServer(server: server, group: group, task: task, port: address.port ?? 0)
    }

    /// A registry over a fresh directory.
    static func registry(directory: String, token: String? = nil) async throws -> RunningServer {
        let handler = RegistryHandler(
            store: try RegistryStore(directory: directory, logger: quietLogger), gcGraceMillis: 0, logger: quietLogger)
        return try await start(role: "registry", handler: handler, token: token) { server in
            try await handler.attach(to: server.events, retention: server.configuration.eventRetention)
        }
    }

    /// Stops the server and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// A trainer (store, runner, handler, server) over the registry at `registryPort`.
struct RunningTrainer {
    let store: JobStore
    let runner: JobRunner
    let server: RunningServer

    /// Opens the job store in `directory` and serves it with the given promotion policy.
    static func start(
        directory: String, registryPort: Int, policy: PromotionPolicy = .ifBetter, metric: String = "roc_auc",
        token: String? = nil
    ) async throws -> RunningTrainer {
        let store = try JobStore(path: "\(directory)/jobs.sqlite")
        let backend = try RegistryBackend(
            host: "127.0.0.1", port: registryPort,
            configuration: WireClientConfiguration(clientName: "test-trainer", token: token),
            policy: policy, metric: metric, logger: quietLogger)
        let relay = TrainerEventRelay(logger: quietLogger)
        let runner = JobRunner(store: store, backend: backend, logger: quietLogger, onEvent: { relay.publish($0) })
        try await runner.start()
        let server = try await RunningServer.start(
            role: "trainer", handler: TrainerHandler(runner: runner, logger: quietLogger), token: token
        ) {
            relay.attach(to: $0.events)
        }
        return RunningTrainer(store: store, runner: runner, server: server)
    }

    /// A client connection.
    func client(token: String? = nil) async throws -> TrainerClient {
        try await TrainerClient.connect(
            host: "127.0.0.1", port: server.port,
            configuration: WireClientConfiguration(clientName: "test", token: token))
    }
}

/// A logger that prints only critical messages.
let quietLogger: Logger = {
    var logger = Logger(label: "trainer-test")
    logger.logLevel = .critical
    return logger
}()

/// A fresh temporary directory.
func temporaryDirectory(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Polls `job` until it has finished (up to `seconds`).
func finished(_ client: TrainerClient, _ id: Int64, seconds: Double = 120) async throws -> JobRecord {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        let job = try await client.status(id)
        if job.state.isFinished { return job }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    throw CancellationError()
}

/// ROC AUC by the pair definition (each positive–negative pair scores 1 when the positive ranks
/// higher, 1/2 on a tie), as an independent check of the trainer's numbers.
func naiveROCAUC(labels: [Float], scores: [Float]) -> Double {
    var wins = 0.0
    var pairs = 0.0
    for i in labels.indices where labels[i] == 1 {
        for j in labels.indices where labels[j] == 0 {
            pairs += 1
            if scores[i] > scores[j] { wins += 1 } else if scores[i] == scores[j] { wins += 0.5 }
        }
    }
    return wins / pairs
}
