import ChurnClient
import Logging
import ServiceKit
import Wire

/// The trainer role of a ``WireServer``: serves the trainer's JSON opcodes (0x0200–0x02FF,
/// wire.md §14) over a ``JobRunner``. Progress and state events reach subscribers through a
/// ``TrainerEventRelay`` attached to the server's hub.
///
/// Every request answers with `.deferred` (job storage is SQLite with `synchronous = FULL`), so
/// nothing blocks the event loop; training itself runs on the runner's own threads.
public final class TrainerHandler: WireRequestHandler {
    /// The jobs.
    public let runner: JobRunner
    private let logger: Logger

    /// A handler over a started runner.
    public init(runner: JobRunner, logger: Logger = Logger(label: "churn.trainer")) {
        self.runner = runner
        self.logger = logger
    }

    /// SubmitJob and CancelJob change state; JobStatus and ListJobs do not.
    public func operation(for opcode: Opcode) -> WireOperation? {
        if Opcode.trainerWrites.contains(opcode) { return .write }
        if Opcode.trainerReads.contains(opcode) { return .read }
        return nil
    }

    /// Answers every request as deferred work.
    public func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        .deferred { [self] in
            do {
                let document = try JSONDocument.decode(from: request.body)
                let idempotency = request.idempotencyKey.map {
                    IdempotentRequest(key: $0, opcode: request.opcode, body: request.body)
                }
                return .message(
                    try await respond(to: request.opcode, document, idempotency: idempotency),
                    allocator: context.allocator)
            } catch let error as ErrorMessage {
                return .error(error)
            } catch let error as WireError {
                return .error(ErrorMessage(code: error.code, message: error.description, field: error.field))
            } catch JobQueueError.unavailable(let message) {
                // Nothing was changed; a client's pool takes this trainer out and retries on another.
                return .error(ErrorMessage(code: .unavailable, message: "job queue unavailable: \(message)"))
            } catch {
                logger.error(
                    "trainer request failed", metadata: ["opcode": "\(request.opcode.hex)", "error": "\(error)"])
                return .error(ErrorMessage(code: .internal, message: "\(error)"))
            }
        }
    }

    /// Degraded while the job queue cannot be reached (see ``JobRunner/health()``).
    public func health() -> HealthResponse {
        runner.health()
    }

    /// Runs one decoded request. A keyed SubmitJob or CancelJob (`idempotency`) is applied at most
    /// once per key: a repeat answers with the job it was applied to, as it is now.
    func respond(to opcode: Opcode, _ document: JSONDocument, idempotency: IdempotentRequest? = nil) async throws
        -> JSONDocument
    {
        switch opcode {
        case .submitJob:
            let request = try document.decode(SubmitJobRequest.self)
            try JobRequestRules.check(request)
            let configuration = try TrainingOptionsCodec.decode(request.options)
            let job = try await runner.submit(
                dataset: request.dataset, modelName: request.modelName, configuration: configuration,
                target: request.target, tags: request.tags, idempotency: idempotency)
            return try JSONDocument(encoding: job.record)
        case .jobStatus:
            let request = try document.decode(JobStatusRequest.self)
            return try JSONDocument(encoding: try await existing(request.id, runner.job(request.id)).record)
        case .listJobs:
            let request = try document.decode(ListJobsRequest.self)
            guard (1...1000).contains(request.limit) else {
                throw ErrorMessage(code: .invalidRequest, message: "limit must be 1…1000", field: "limit")
            }
            let jobs = try await runner.jobs(states: Set(request.states), limit: request.limit)
            return try JSONDocument(encoding: JobList(jobs.map(\.record)))
        case .cancelJob:
            let request = try document.decode(CancelJobRequest.self)
            return try JSONDocument(
                encoding: try await existing(request.id, runner.cancel(request.id, idempotency: idempotency)).record)
        default:
            throw ErrorMessage(code: .unknownOpcode, message: "opcode \(opcode.hex) is not a trainer opcode")
        }
    }

    private func existing(_ id: Int64, _ job: TrainingJob?) throws -> TrainingJob {
        guard let job else { throw ErrorMessage(code: .notFound, message: "no job \(id)", field: "id") }
        return job
    }
}
