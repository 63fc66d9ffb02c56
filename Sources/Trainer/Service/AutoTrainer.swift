import ChurnML
import Logging
import NIOCore
import ServiceKit
import Wire

/// Auto-train: follows the registry's event log and submits a job for every `dataset.pushed` of
/// one dataset name (pinned to the pushed bytes: `name@sha256`).
///
/// On a shared job queue every trainer follows the registry, and the job of one push is stored
/// once: its idempotency key is derived from the event, the same on every trainer.
///
/// The last handled registry sequence is stored in the job store's settings — in the same
/// transaction as the job it caused — so after a restart the trainer resumes where it stopped: a
/// push made while it was down still trains, and no push trains twice. On every (re)connection it
/// first catches up from the registry's durable log (the Events opcode), then follows live events
/// with a ``WireSubscriber`` (which reconnects and resumes by itself); if the registry's replay
/// window no longer reaches back far enough, it catches up from the log again.
public final class AutoTrainer: Sendable {
    /// What to train when the dataset is pushed.
    public struct Rule: Sendable {
        /// The dataset name to follow.
        public var dataset: String
        /// The model name to publish under.
        public var modelName: String
        /// Training options of the jobs.
        public var configuration: TrainingConfiguration
        /// The target column, when not inferred.
        public var target: String?

        /// Creates a rule.
        public init(dataset: String, modelName: String, configuration: TrainingConfiguration, target: String? = nil) {
            self.dataset = dataset
            self.modelName = modelName
            self.configuration = configuration
            self.target = target
        }
    }

    /// The settings key of the last handled registry sequence.
    public static let sequenceKey = "autotrain.registry_sequence"

    private let rule: Rule
    private let store: any JobQueue
    private let runner: JobRunner
    private let endpoints: RoleEndpoints
    private let configuration: WireClientConfiguration
    private let logger: Logger

    /// An auto-trainer following the registry at `host:port`.
    public convenience init(
        rule: Rule, store: any JobQueue, runner: JobRunner, host: String, port: Int,
        configuration: WireClientConfiguration,
        logger: Logger = Logger(label: "churn.trainer")
    ) {
        self.init(
            rule: rule, store: store, runner: runner, endpoints: RoleEndpoints(host: host, port: port),
            configuration: configuration, logger: logger)
    }

    /// An auto-trainer following the registry replicas `endpoints`: its connections go to the
    /// first that answers, and its subscription fails over from one to the next (the replicas
    /// share one event log, so it resumes from the last sequence it handled).
    public init(
        rule: Rule, store: any JobQueue, runner: JobRunner, endpoints: RoleEndpoints,
        configuration: WireClientConfiguration,
        logger: Logger = Logger(label: "churn.trainer")
    ) {
        self.rule = rule
        self.store = store
        self.runner = runner
        self.endpoints = endpoints
        self.configuration = configuration
        self.logger = logger
    }

    /// The last handled registry sequence, if one is stored.
    public func lastSequence() async throws -> Int64? {
        try await store.setting(Self.sequenceKey).flatMap { Int64($0) }
    }

    /// On the very first start (no sequence stored), records the registry's current head, so that
    /// pushes from now on train (and the history does not). Returns false when the registry cannot
    /// be reached; ``run()`` then does it once the registry answers.
    @discardableResult
    public func prepare() async -> Bool {
        do {
            if try await lastSequence() != nil { return true }
            let client = try await RegistryClient.connect(endpoints: endpoints, configuration: configuration)
            let head: Int64
            do {
                head = try await client.events(after: 0, limit: 1).head
            } catch {
                await client.close()
                throw error
            }
            await client.close()
            try await store.setSetting(Self.sequenceKey, "\(head)")
            logger.info("auto-train starts at the registry's head", metadata: ["sequence": "\(head)"])
            return true
        } catch {
            logger.warning("auto-train: registry not reachable yet", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Follows the registry until the task is cancelled, retrying with backoff on failures.
    public func run() async {
        var backoff: Double = 0.1
        while !Task.isCancelled {
            do {
                var ready = try await lastSequence() != nil
                if !ready { ready = await prepare() }
                if ready {
                    let caughtUp = try await catchUp(after: try await lastSequence() ?? 0)
                    backoff = 0.1
                    _ = try await follow(after: caughtUp)
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("auto-train: lost the registry; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(nanoseconds: UInt64(backoff * 1e9))
            backoff = min(backoff * 2, 5)
        }
    }

    /// Handles every logged event after `sequence` (read from the registry's durable log with the
    /// Events opcode); returns the last sequence handled.
    private func catchUp(after sequence: Int64) async throws -> Int64 {
        let client = try await RegistryClient.connect(endpoints: endpoints, configuration: configuration)
        do {
            var last = sequence
            while true {
                let page = try await client.events(after: last, limit: 1000)
                for event in page.events where event.sequence > last {
                    _ = try await handle(event)
                    last = event.sequence
                }
                if let stored = try await lastSequence(), stored < last {
                    try await store.setSetting(Self.sequenceKey, "\(last)")
                }
                if page.events.count < 1000 { break }
            }
            await client.close()
            return last
        } catch {
            await client.close()
            throw error
        }
    }

    /// Follows live `dataset.pushed` events after `sequence` until cancelled or the subscription
    /// fails; returns the last sequence handled.
    private func follow(after sequence: Int64) async throws -> Int64 {
        let subscriber = WireSubscriber(
            endpoints: endpoints, topics: [EventKind.datasetPushed.rawValue], configuration: configuration)
        var last = sequence
        for try await message in subscriber.events(fromSequence: UInt64(max(0, sequence)) + 1) {
            let event = try JSONDocument(json: message.payload).decode(RegistryEvent.self)
            guard event.sequence > last else { continue }
            if !(try await handle(event)) {
                try await store.setSetting(Self.sequenceKey, "\(event.sequence)")
            }
            last = event.sequence
        }
        return last
    }

    /// Submits a job when `event` is a push of the followed dataset (storing the sequence with the
    /// job); returns whether it did.
    private func handle(_ event: RegistryEvent) async throws -> Bool {
        guard event.kind == .datasetPushed, event.name == rule.dataset else { return false }
        let sha256 = (try? JSONDocument(json: ByteBuffer(string: event.payload)).decode(PushedPayload.self))?.sha256
        let reference = sha256.map { "\(event.name)@\($0)" } ?? event.name
        // Every trainer following the registry computes the same key for this event, so on a
        // shared queue exactly one of them stores the job; the others get that job back.
        let identity = "auto-train \(event.sequence) \(reference) \(rule.modelName)"
        let idempotency = IdempotentRequest(
            key: IdempotencyKey(naming: identity).description, opcode: Opcode.submitJob.rawValue,
            requestSHA256: BlobDigest(hashing: ByteBuffer(string: identity)).hex)
        let job = try await runner.submit(
            dataset: reference, modelName: rule.modelName, configuration: rule.configuration, target: rule.target,
            notes: ["auto-train: registry event \(event.sequence) (dataset.pushed \(reference))"],
            settings: [Self.sequenceKey: "\(event.sequence)"], idempotency: idempotency)
        logger.info(
            "auto-train: job submitted",
            metadata: ["job": "\(job.id)", "dataset": "\(reference)", "sequence": "\(event.sequence)"])
        return true
    }

    /// The part of a `dataset.pushed` payload auto-train reads.
    private struct PushedPayload: Decodable {
        var sha256: String
    }
}
