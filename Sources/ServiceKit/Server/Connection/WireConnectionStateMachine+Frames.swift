import NIOCore
import Wire

extension WireConnectionStateMachine {
    /// How a frame counts in the server's request statistics.
    enum RequestCount: Equatable {
        /// Not counted (a Hello with the wrong frame version).
        case none
        /// Counted as a known opcode.
        case known
        /// Counted as an unknown opcode (or a frame kind a server does not accept).
        case unknown
    }

    /// The decision on one frame: how its opcode counts and what to do.
    struct FrameDecision {
        /// How `frame.header.opcode` counts in the statistics.
        var count: RequestCount
        /// What the handler does.
        var action: WireConnectionAction
    }

    /// The opcodes the server answers itself (never keyed, never offered to the role).
    static let commonOpcodes: Set<Opcode> = [.hello, .ping, .stats, .health, .subscribe, .unsubscribe]

    /// Routes one decoded frame (wire.md §9).
    mutating func frameReceived(_ frame: WireFrame) -> FrameDecision {
        let header = frame.header
        switch phase {
        case .closing:
            return FrameDecision(count: .none, action: .none)
        case .awaitingHello:
            return helloReceived(frame)
        case .ready:
            break
        }
        guard header.version == version else {
            return FrameDecision(
                count: .none,
                action: closeWithError(
                    .unsupportedVersion, "frame version \(header.version), negotiated \(version)",
                    opcode: header.opcode, correlationID: header.correlationID))
        }
        if header.kind == .keyedRequest {
            return keyedRequestReceived(frame)
        }
        let opcode = header.opcode
        let id = header.correlationID
        guard header.kind == .request else {
            return FrameDecision(
                count: .unknown,
                action: .sendError(
                    ErrorMessage(
                        code: .unknownKind, message: "a server accepts only request frames, got \(header.kind)"),
                    opcode: opcode, correlationID: id))
        }
        switch opcode {
        case .ping:
            guard frame.body.readableBytes == 8,
                let payload = frame.body.getInteger(at: frame.body.readerIndex, as: UInt64.self)
            else {
                return FrameDecision(
                    count: .known,
                    action: .sendError(
                        ErrorMessage(code: .invalidRequest, message: "Ping body must be one u64", field: "payload"),
                        opcode: opcode, correlationID: id))
            }
            return FrameDecision(count: .known, action: .answerPing(correlationID: id, payload: payload))
        case .hello:
            return FrameDecision(
                count: .known,
                action: closeWithError(.helloRequired, "Hello was already completed", opcode: opcode, correlationID: id)
            )
        case .stats:
            return FrameDecision(
                count: .known, action: decoding(StatsRequest.self, frame) { _ in .answerStats(correlationID: id) })
        case .health:
            let draining = self.draining
            return FrameDecision(
                count: .known,
                action: decoding(HealthRequest.self, frame) { _ in
                    .answerHealth(
                        correlationID: id,
                        fixed: draining ? HealthResponse(status: .draining, detail: "shutting down") : nil)
                })
        case .subscribe:
            let exists = subscriptions.contains(id)
            return FrameDecision(
                count: .known,
                action: decoding(SubscribeRequest.self, frame) { request in
                    exists
                        ? .sendError(
                            ErrorMessage(code: .conflict, message: "subscription \(id) already exists"),
                            opcode: .subscribe, correlationID: id)
                        : .subscribe(request, subscriptionID: id)
                })
        case .unsubscribe:
            let request: UnsubscribeRequest
            do {
                request = try UnsubscribeRequest.decode(from: frame.body)
            } catch {
                return FrameDecision(
                    count: .known, action: .sendError(Self.invalid(error), opcode: opcode, correlationID: id))
            }
            guard subscriptionRemoved(request.subscriptionID) else {
                return FrameDecision(
                    count: .known,
                    action: .sendError(Self.noSubscription(request.subscriptionID), opcode: opcode, correlationID: id))
            }
            return FrameDecision(
                count: .known, action: .unsubscribe(subscriptionID: request.subscriptionID, correlationID: id))
        default:
            return roleRequestReceived(frame, idempotencyKey: nil)
        }
    }

    /// A keyed request (wire.md §2.4): the body starts with the 16-byte idempotency key, handed to
    /// the role with the rest of the body. Only role opcodes take a key.
    private mutating func keyedRequestReceived(_ frame: WireFrame) -> FrameDecision {
        let (opcode, id) = (frame.header.opcode, frame.header.correlationID)
        if Self.commonOpcodes.contains(opcode) {
            return FrameDecision(
                count: .known,
                action: .sendError(
                    ErrorMessage(
                        code: .invalidRequest,
                        message: "\(opcode.name) does not take an idempotency key; send it as a plain request"),
                    opcode: opcode, correlationID: id))
        }
        var body = frame.body
        guard let (high, low) = body.readMultipleIntegers(as: (UInt64, UInt64).self) else {
            return FrameDecision(
                count: .known,
                action: .sendError(
                    ErrorMessage(
                        code: .invalidRequest,
                        message:
                            "a keyed request's body starts with a 16-byte idempotency key; got \(frame.body.readableBytes) bytes",
                        field: "idempotencyKey"),
                    opcode: opcode, correlationID: id))
        }
        return roleRequestReceived(
            WireFrame(header: frame.header, body: body), idempotencyKey: IdempotencyKey(high: high, low: low))
    }

    /// Offers a request to the role: checks opcode, authorization, draining and the in-flight limit.
    private func roleRequestReceived(_ frame: WireFrame, idempotencyKey: IdempotencyKey?) -> FrameDecision {
        let opcode = frame.header.opcode
        let id = frame.header.correlationID
        guard let operation = settings.operation(opcode) else {
            return FrameDecision(
                count: .unknown,
                action: .sendError(
                    ErrorMessage(
                        code: .unknownOpcode, message: "opcode \(opcode.hex) is not served by role \(settings.roleName)"
                    ),
                    opcode: opcode, correlationID: id))
        }
        if operation.mutating && !authorized {
            return FrameDecision(
                count: .known,
                action: .sendError(
                    ErrorMessage(code: .unauthorized, message: "\(opcode.name) changes state and needs the token"),
                    opcode: opcode, correlationID: id))
        }
        if draining {
            return FrameDecision(
                count: .known,
                action: .sendError(
                    ErrorMessage(code: .unavailable, message: "server is shutting down"), opcode: opcode,
                    correlationID: id))
        }
        guard inFlight < settings.maxInFlight else {
            return FrameDecision(
                count: .known,
                action: .sendError(
                    ErrorMessage(code: .tooManyInFlight, message: "\(inFlight) requests already in flight"),
                    opcode: opcode, correlationID: id))
        }
        return FrameDecision(
            count: .known,
            action: .dispatch(
                WireRequest(opcode: opcode, correlationID: id, body: frame.body, idempotencyKey: idempotencyKey)))
    }

    /// The first frame must be a valid Hello (wire.md §5.1); it fixes version and authorization.
    private mutating func helloReceived(_ frame: WireFrame) -> FrameDecision {
        let header = frame.header
        let id = header.correlationID
        guard header.version == 1 else {
            return FrameDecision(
                count: .none,
                action: closeWithError(
                    .unsupportedVersion, "Hello frames carry version 1", opcode: header.opcode, correlationID: id))
        }
        guard header.kind == .request, header.opcode == .hello else {
            return FrameDecision(
                count: .unknown,
                action: closeWithError(
                    .helloRequired, "the first frame must be a Hello request", opcode: header.opcode, correlationID: id)
            )
        }
        let hello: HelloRequest
        do {
            hello = try HelloRequest.decode(from: frame.body)
        } catch {
            let message = Self.invalid(error)
            return FrameDecision(
                count: .known, action: closeWithError(message.code, message.message, opcode: .hello, correlationID: id))
        }
        guard let chosen = hello.versions.filter({ WireProtocol.supportedVersions.contains($0) }).max() else {
            return FrameDecision(
                count: .known,
                action: closeWithError(
                    .unsupportedVersion,
                    "server speaks versions \(WireProtocol.supportedVersions), client offered \(hello.versions)",
                    opcode: .hello, correlationID: id))
        }
        let authorized: Bool
        if let check = settings.tokenCheck {
            if let token = hello.token {
                guard check.matches(token) else {
                    return FrameDecision(
                        count: .known,
                        action: closeWithError(.unauthorized, "wrong token", opcode: .hello, correlationID: id))
                }
                authorized = true
            } else {
                authorized = false
            }
        } else {
            authorized = true
        }
        helloAccepted(version: chosen, authorized: authorized, clientName: hello.clientName)
        let response = HelloResponse(
            role: settings.roleName, version: chosen, serverVersion: settings.serverVersion,
            maxFrameLength: settings.maxFrameLength, maxInFlight: settings.announcedMaxInFlight,
            maxRows: settings.maxRows,
            authorized: authorized)
        return FrameDecision(count: .known, action: .answerHello(response, correlationID: id))
    }

    /// Decodes a common request body; a body that fails to decode is answered with its error.
    private func decoding<Request: WireRequestMessage>(
        _ type: Request.Type, _ frame: WireFrame, then action: (Request) -> WireConnectionAction
    ) -> WireConnectionAction {
        do {
            return action(try Request.decode(from: frame.body))
        } catch {
            return .sendError(Self.invalid(error), opcode: Request.opcode, correlationID: frame.header.correlationID)
        }
    }

    /// The error frame body for a body that failed to decode.
    static func invalid(_ error: any Error) -> ErrorMessage {
        if let wire = error as? WireError {
            return ErrorMessage(code: wire.code, message: wire.description, field: wire.field)
        }
        return ErrorMessage(code: .invalidRequest, message: "\(error)")
    }
}
