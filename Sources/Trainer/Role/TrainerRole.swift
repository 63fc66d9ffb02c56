import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import Wire

/// The trainer role's parts, wired together: the job queue (SQLite in a data directory, or shared
/// in PostgreSQL), the registry backend, the job runner, the event relay and (with a rule) the
/// auto-trainer. Assembled here, in the role library, so that `churn serve trainer` and
/// `churn serve all` wire the role the same way.
public struct TrainerRole: Sendable {
    /// The durable job queue.
    public let queue: any JobQueue
    /// Runs the jobs.
    public let runner: JobRunner
    /// Publishes job events on the server's hub.
    public let relay: TrainerEventRelay
    /// Submits jobs on dataset pushes, when configured.
    public let autoTrainer: AutoTrainer?
    /// The wire handler.
    public let handler: TrainerHandler

    /// Opens the job queue — `jobs` (a `postgres://` URL shared by any number of trainers), else
    /// `DATA_DIR/jobs.sqlite` in `dataDirectory` (created when missing) — and wires the parts to
    /// the registry replicas `registry` (failing over from one to the next). `lease` is how long a
    /// shared queue's claim lasts without renewal.
    public init(
        dataDirectory: String?, jobs: String? = nil, lease: Duration = .seconds(10), registry: RoleEndpoints,
        token: String?,
        policy: PromotionPolicy, metric: String, maxConcurrentJobs: Int, rule: AutoTrainer.Rule?, logger: Logger
    ) async throws {
        let instance = JobRunner.defaultInstance()
        if let jobs {
            do {
                queue = try await PostgresJobQueue.connect(url: jobs, instance: instance, logger: logger)
            } catch {
                throw TrainerRoleError("cannot open the shared job queue: \(error)")
            }
        } else if let dataDirectory {
            do {
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
                queue = try JobStore(path: "\(dataDirectory)/jobs.sqlite")
            } catch {
                throw TrainerRoleError("cannot open the job store in '\(dataDirectory)': \(error)")
            }
        } else {
            throw TrainerRoleError(
                "the trainer needs --data-dir DIR (its own job store) or --jobs postgres://… (a shared one)")
        }
        logger.info("job queue", metadata: ["queue": "\(queue.engine)", "instance": "\(instance)"])
        let client = WireClientConfiguration(clientName: "churn-trainer", token: token)
        let backend = try RegistryBackend(
            endpoints: registry, configuration: client, policy: policy, metric: metric, logger: logger)
        let relay = TrainerEventRelay(logger: logger)
        self.relay = relay
        let queue = self.queue
        let runner = JobRunner(
            store: queue, backend: backend, maxConcurrent: maxConcurrentJobs, lease: lease, instance: instance,
            logger: logger,
            onEvent: { relay.publish($0) })
        self.runner = runner
        autoTrainer = rule.map {
            AutoTrainer(
                rule: $0, store: queue, runner: runner, endpoints: registry, configuration: client, logger: logger)
        }
        handler = TrainerHandler(runner: runner, logger: logger)
    }

    /// Connects the relay to the server's event hub.
    public func attach(to server: WireServer) {
        relay.attach(to: server.events)
    }

    /// Recovers interrupted jobs and starts the runner; on the very first start, notes where
    /// auto-train begins (`fromStart`: the beginning of the registry's log, so pushes made before
    /// the trainer first ran train too; else the registry's head).
    public func start(autoTrainFromStart fromStart: Bool = false) async throws {
        try await runner.start()
        guard let autoTrainer else { return }
        if fromStart, try await autoTrainer.lastSequence() == nil {
            try await queue.setSetting(AutoTrainer.sequenceKey, "0")
        }
        await autoTrainer.prepare()
    }

    /// Services to run beside the server: the auto-trainer, when configured, and on a shared
    /// queue the relay of other trainers' job events to this trainer's subscribers.
    public var services: [any Service] {
        var services: [any Service] = autoTrainer.map { [AutoTrainService(autoTrainer: $0)] } ?? []
        if queue.isShared { services.append(ForeignJobEventService(queue: queue, relay: relay)) }
        return services
    }
}

/// A trainer role that could not be set up.
public struct TrainerRoleError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

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

/// Relays job events of other trainers sharing the queue (progress of a job they run, state
/// changes) to this trainer's subscribers, until graceful shutdown.
private struct ForeignJobEventService: Service {
    let queue: any JobQueue
    let relay: TrainerEventRelay

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await relay.follow(queue)
        }
    }
}
