import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import Trainer
import Wire

/// The trainer role's parts, wired together: the job store in a data directory, the registry
/// backend, the job runner, the event relay and (with a rule) the auto-trainer. Used by
/// `churn serve trainer` and `churn serve all`.
struct TrainerRole {
    /// The durable job store (`DATA_DIR/jobs.sqlite`).
    let store: JobStore
    /// Runs the jobs.
    let runner: JobRunner
    /// Publishes job events on the server's hub.
    let relay: TrainerEventRelay
    /// Submits jobs on dataset pushes, when configured.
    let autoTrainer: AutoTrainer?
    /// The wire handler.
    let handler: TrainerHandler

    /// Opens the job store in `dataDirectory` (created when missing) and wires the parts to the
    /// registry replicas `registry` (failing over from one to the next).
    init(
        dataDirectory: String, registry: RegistryEndpoints, token: String?, policy: PromotionPolicy, metric: String,
        maxConcurrentJobs: Int, rule: AutoTrainer.Rule?, logger: Logger
    ) throws {
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            store = try JobStore(path: "\(dataDirectory)/jobs.sqlite")
        } catch {
            throw TrainerRoleError("cannot open the job store in '\(dataDirectory)': \(error)")
        }
        let client = WireClientConfiguration(clientName: "churn-trainer", token: token)
        let backend = try RegistryBackend(
            endpoints: registry, configuration: client, policy: policy, metric: metric, logger: logger)
        let relay = TrainerEventRelay(logger: logger)
        self.relay = relay
        let store = self.store
        let runner = JobRunner(
            store: store, backend: backend, maxConcurrent: maxConcurrentJobs, logger: logger,
            onEvent: { relay.publish($0) })
        self.runner = runner
        autoTrainer = rule.map {
            AutoTrainer(rule: $0, store: store, runner: runner, endpoints: registry, configuration: client, logger: logger)
        }
        handler = TrainerHandler(runner: runner, logger: logger)
    }

    /// Connects the relay to the server's event hub.
    func attach(to server: WireServer) {
        relay.attach(to: server.events)
    }

    /// Recovers interrupted jobs and starts the runner; on the very first start, notes where
    /// auto-train begins (`fromStart`: the beginning of the registry's log, so pushes made before
    /// the trainer first ran train too; else the registry's head).
    func start(autoTrainFromStart fromStart: Bool = false) async throws {
        try await runner.start()
        guard let autoTrainer else { return }
        if fromStart, try autoTrainer.lastSequence() == nil {
            try store.setSetting(AutoTrainer.sequenceKey, "0")
        }
        await autoTrainer.prepare()
    }

    /// Services to run beside the server (the auto-trainer, when configured).
    var services: [any Service] {
        autoTrainer.map { [AutoTrainService(autoTrainer: $0)] } ?? []
    }
}

/// A trainer role that could not be set up.
struct TrainerRoleError: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    /// Wraps a message.
    init(_ description: String) { self.description = description }
}

/// Runs the auto-trainer until graceful shutdown.
private struct AutoTrainService: Service {
    let autoTrainer: AutoTrainer

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await autoTrainer.run()
        }
    }
}
