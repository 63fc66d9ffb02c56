import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import Wire

/// The trainer part of the JSON API: list, show, submit and cancel training jobs, and follow one
/// job live as Server-Sent Events. Records are the trainer's own JSON (wire.md §14).
struct JobsAPI: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// Who may submit and cancel.
    let tokens: TokenGuard
    /// Settings (the trainer's address and the token for the event streams' own connections).
    let configuration: GatewayConfiguration

    /// `GET /api/v1/jobs[?limit=N]`: jobs, newest first.
    func list(_ request: Request, context: some RequestContext) async throws -> Response {
        let limit = request.uri.queryParameters["limit"].flatMap { Int($0) } ?? 100
        guard (1...1000).contains(limit) else {
            throw GatewayError.invalidInput(
                "bad limit", fields: [FieldError(field: "limit", message: "a whole number from 1 to 1000")])
        }
        let jobs = try await backends.withTrainer { try await $0.list(limit: limit) }
        return Reply.json(JobList(jobs))
    }

    /// `GET /api/v1/jobs/{id}`: one job.
    func show(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try Self.id(context)
        return Reply.json(try await backends.withTrainer { try await $0.status(id) })
    }

    /// `POST /api/v1/jobs` with `{"dataset", "model_name"?, "options"?, "target"?, "tags"?}`: submits
    /// a job (token needed when one is configured); the answer is the queued job.
    func submit(_ request: Request, context: some RequestContext) async throws -> Response {
        try tokens.check(TokenGuard.bearer(request))
        let body = try await RequestBodies.collect(request, limit: 256 * 1024)
        let submission: SubmitJobRequest
        do {
            submission = try JSONDocument(json: body).decode(SubmitJobRequest.self)
        } catch let error as ErrorMessage {
            throw GatewayError.invalidInput(
                "the body is not a job",
                fields: [
                    FieldError(
                        field: "body", message: "\(error.message); expected {\"dataset\": NAME, \"options\": {…}}")
                ])
        }
        let job = try await submit(submission)
        return Reply.json(job, status: .created)
    }

    /// Submits `submission` to the trainer.
    func submit(_ submission: SubmitJobRequest) async throws -> JobRecord {
        try await backends.withTrainer { try await $0.submit(submission) }
    }

    /// `POST /api/v1/jobs/{id}/cancel`: cancels a job (token needed when one is configured).
    func cancel(_ request: Request, context: some RequestContext) async throws -> Response {
        try tokens.check(TokenGuard.bearer(request))
        let id = try Self.id(context)
        return Reply.json(try await backends.withTrainer { try await $0.cancel(id) })
    }

    /// `GET /api/v1/jobs/{id}/events`: Server-Sent Events — `state` (the job record) first and on every
    /// change, `progress` after every epoch; the stream ends when the job does (or at shutdown).
    func events(_ request: Request, context: some RequestContext) async throws -> Response {
        let id = try Self.id(context)
        let trainer = try await eventConnection(job: id)
        let body = ResponseBody { writer in
            // The trainer's events are read by a task that stops at graceful shutdown (so an open stream
            // does not hold the server up) and handed over as ready SSE frames.
            let (frames, continuation) = AsyncStream<ByteBuffer>.makeStream()
            let producer = Task {
                await cancelWhenGracefulShutdown {
                    do {
                        for try await event in trainer.watch(job: id) { continuation.yield(try Self.frame(event)) }
                    } catch {
                        let message = GatewayError.from(error, role: "trainer").message.replacingOccurrences(
                            of: "\n", with: " ")
                        continuation.yield(ByteBuffer(string: "event: error\ndata: \(message)\n\n"))
                    }
                }
                continuation.finish()
            }
            defer {
                producer.cancel()
                Task { await trainer.close() }
            }
            for await frame in frames { try await writer.write(frame) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: body)
    }

    /// A connection of its own to a trainer replica that knows job `id`, closed with the stream, so
    /// a client that goes away leaves no subscription behind. Replicas in rotation are tried first;
    /// one that answers `notFound` is passed over while others remain (trainers that keep their
    /// own job stores each know only their jobs).
    func eventConnection(job id: Int64) async throws -> TrainerClient {
        guard let backend = backends.trainer else { throw GatewayError.noTrainer }
        var wireConfiguration = WireClientConfiguration(clientName: "churn-gateway-events", token: configuration.token)
        wireConfiguration.connectTimeout = configuration.connectTimeout
        let replicas = await backend.pool.replicas()
        let endpoints = (replicas.filter(\.inRotation) + replicas.filter { !$0.inRotation }).map(\.endpoint)
        var failure: GatewayError?
        for (position, endpoint) in endpoints.enumerated() {
            let trainer: TrainerClient
            do {
                trainer = try await TrainerClient.connect(
                    host: endpoint.connectHost, port: endpoint.port, configuration: wireConfiguration)
            } catch {
                failure = failure ?? GatewayError.unreachable(role: "trainer", address: endpoint, reason: error)
                continue
            }
            do {
                _ = try await trainer.status(id)
                return trainer
            } catch {
                await trainer.close()
                let notFound = (error as? WireClientError)?.serverCode == .notFound
                guard notFound, position < endpoints.count - 1 else { throw GatewayError.from(error, role: "trainer") }
                failure = GatewayError.from(error, role: "trainer")
            }
        }
        throw failure ?? GatewayError.noTrainer
    }

    /// One SSE frame: `event: progress|state`, `data: JSON`.
    static func frame(_ event: TrainerEvent) throws -> ByteBuffer {
        var buffer = ByteBuffer(
            string: "event: \(event.topic == TrainerEvent.progressTopic ? "progress" : "state")\ndata: ")
        var payload = try event.payload()
        buffer.writeBuffer(&payload)
        buffer.writeString("\n\n")
        return buffer
    }

    /// The job id from the path.
    static func id(_ context: some RequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw GatewayError.notFound("no job \"\(text)\"") }
        return id
    }
}
