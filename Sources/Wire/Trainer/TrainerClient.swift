import NIOCore
import NIOPosix

/// Typed calls to a trainer server over one ``WireClient`` connection (wire.md §14): submit,
/// status, list and cancel jobs, and follow one job's progress as it trains. Any role (the gateway,
/// the CLI) can use it without importing the Trainer library.
///
/// ```swift
/// let trainer = try await TrainerClient.connect(host: "127.0.0.1", port: 7401)
/// let job = try await trainer.submit(SubmitJobRequest(dataset: "bank", options: ["epochs": .integer(50)]))
/// for try await event in trainer.watch(job: job.id) { … }   // ends when the job ends
/// ```
///
/// Server refusals arrive as ``WireClientError/server(code:message:field:)``: `notFound` (no such
/// job), `invalidRequest` (bad options; `field` names the key, e.g. `options.epochs`),
/// `unauthorized` (a write without the token).
public struct TrainerClient: KeyedRoleClient {
    /// The underlying connection.
    public let wire: WireClient
    /// The keys of this client's keyed writes (see ``KeyedRoleClient``).
    public let keys: IdempotencyKeys?

    /// Wraps an open connection whose keyed writes take their keys from `keys`.
    public init(wire: WireClient, keys: IdempotencyKeys?) {
        self.wire = wire
        self.keys = keys
    }

    /// Sends one trainer request and decodes its response.
    public func call<Call: TrainerCall>(_ request: Call, timeout: TimeAmount? = nil) async throws -> Call.Response {
        try await wire.callJSON(
            request, opcode: Call.opcode, as: Call.Response.self, timeout: timeout,
            idempotencyKey: idempotencyKey(for: Call.opcode))
    }

    /// Submits a job; the answer is the stored, queued job.
    public func submit(_ request: SubmitJobRequest) async throws -> JobRecord {
        try await call(request)
    }

    /// One job by id.
    public func status(_ id: Int64) async throws -> JobRecord {
        try await call(JobStatusRequest(id: id))
    }

    /// Jobs, newest first (only those in `states` when not empty).
    public func list(states: [JobState] = [], limit: Int = 100) async throws -> [JobRecord] {
        try await call(ListJobsRequest(states: states, limit: limit)).items
    }

    /// Cancels a job (see ``CancelJobRequest``).
    public func cancel(_ id: Int64) async throws -> JobRecord {
        try await call(CancelJobRequest(id: id))
    }

    /// Every trainer event (all jobs) from now on: the subscription is made before this returns.
    /// The stream ends when the connection closes (throwing ``WireClientError/connectionClosed``)
    /// or the consumer stops iterating. For a dashboard; to follow one job use ``watch(job:)``.
    public func events() async throws -> AsyncThrowingStream<TrainerEvent, any Error> {
        let subscription = try await wire.subscribe(topics: TrainerEvent.topics)
        let (stream, continuation) = AsyncThrowingStream<TrainerEvent, any Error>.makeStream()
        let task = Task {
            do {
                for await message in subscription.events {
                    if let event = try TrainerEvent(message) { continuation.yield(event) }
                }
                continuation.finish(throwing: WireClientError.connectionClosed)
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The events of job `id` until it finishes: first `.state` with the job as it is now, then
    /// every `.progress` and `.state` event the trainer publishes for it, ending after the `.state`
    /// event of a finished job (succeeded, failed or cancelled). Subscribes before reading the
    /// status, so no event in between is lost. Throws when the job does not exist or the
    /// connection closes first.
    public func watch(job id: Int64) -> AsyncThrowingStream<TrainerEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<TrainerEvent, any Error>.makeStream()
        let wire = self.wire
        let client = self
        let task = Task {
            do {
                let subscription = try await wire.subscribe(topics: TrainerEvent.topics)
                let current = try await client.status(id)
                continuation.yield(.state(current))
                if current.state.isFinished {
                    try? await wire.unsubscribe(subscription)
                    continuation.finish()
                    return
                }
                var lastEpoch = current.progress?.epoch ?? 0
                for await message in subscription.events {
                    guard let event = try TrainerEvent(message), event.jobID == id else { continue }
                    switch event {
                    case .progress(let progress):
                        // Epochs reported before the status was read arrive again: skip them.
                        guard progress.epoch > lastEpoch else { continue }
                        lastEpoch = progress.epoch
                        continuation.yield(event)
                    case .state(let record):
                        continuation.yield(event)
                        if record.state.isFinished {
                            try? await wire.unsubscribe(subscription)
                            continuation.finish()
                            return
                        }
                    }
                }
                continuation.finish(throwing: WireClientError.connectionClosed)
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
