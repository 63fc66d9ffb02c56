import Logging
import NIOCore
import Wire

extension WireConnectionHandler {
    /// Routes one decoded frame (wire.md §9).
    func process(_ frame: WireFrame, context: ChannelHandlerContext) {
        let header = frame.header
        guard phase == .ready else {
            processHello(frame, context: context)
            return
        }
        guard header.version == version else {
            closeWithError(
                .unsupportedVersion, "frame version \(header.version), negotiated \(version)",
                opcode: header.opcode, correlationID: header.correlationID, context: context)
            return
        }
        if header.kind == .keyedRequest {
            processKeyed(frame, context: context)
            return
        }
        guard header.kind == .request else {
            core.statistics.recordRequest(header.opcode, known: false)
            appendError(
                ErrorMessage(code: .unknownKind, message: "a server accepts only request frames, got \(header.kind)"),
                opcode: header.opcode, correlationID: header.correlationID, context: context)
            return
        }
        let opcode = header.opcode
        let id = header.correlationID
        switch opcode {
        case .ping:
            core.statistics.recordRequest(opcode, known: true)
            guard frame.body.readableBytes == 8, let payload = frame.body.getInteger(at: frame.body.readerIndex, as: UInt64.self) else {
                appendError(
                    ErrorMessage(code: .invalidRequest, message: "Ping body must be one u64", field: "payload"),
                    opcode: opcode, correlationID: id, context: context)
                return
            }
            appendResponse(.ping, id, context: context) { $0.writeInteger(payload) }
        case .hello:
            core.statistics.recordRequest(opcode, known: true)
            closeWithError(.helloRequired, "Hello was already completed", opcode: opcode, correlationID: id, context: context)
        case .stats:
            core.statistics.recordRequest(opcode, known: true)
            reply(decoding: StatsRequest.self, frame, context: context) { _ in .success(self.core.statistics.snapshot()) }
        case .health:
            core.statistics.recordRequest(opcode, known: true)
            reply(decoding: HealthRequest.self, frame, context: context) { _ in
                .success(self.draining ? HealthResponse(status: .draining, detail: "shutting down") : self.core.handler.health())
            }
        case .subscribe:
            core.statistics.recordRequest(opcode, known: true)
            reply(decoding: SubscribeRequest.self, frame, context: context) { request in
                self.subscribe(request, subscriptionID: id, context: context)
            }
        case .unsubscribe:
            core.statistics.recordRequest(opcode, known: true)
            reply(decoding: UnsubscribeRequest.self, frame, context: context) { request in
                guard self.subscriptions.remove(request.subscriptionID) != nil,
                    self.core.hub.unsubscribe(connectionID: self.connectionID, subscriptionID: request.subscriptionID)
                else {
                    return .failure(ErrorMessage(code: .notFound, message: "no subscription \(request.subscriptionID)", field: "subscriptionID"))
                }
                return .success(UnsubscribeResponse())
            }
        default:
            dispatchToRole(frame, context: context)
        }
    }

    /// A keyed request (wire.md §2.4): the body starts with the 16-byte idempotency key, handed to
    /// the role with the rest of the body. Only role opcodes take a key.
    private func processKeyed(_ frame: WireFrame, context: ChannelHandlerContext) {
        let (opcode, id) = (frame.header.opcode, frame.header.correlationID)
        if Self.commonOpcodes.contains(opcode) {
            core.statistics.recordRequest(opcode, known: true)
            appendError(
                ErrorMessage(code: .invalidRequest, message: "\(opcode.name) does not take an idempotency key; send it as a plain request"),
                opcode: opcode, correlationID: id, context: context)
            return
        }
        var body = frame.body
        guard let (high, low) = body.readMultipleIntegers(as: (UInt64, UInt64).self) else {
            core.statistics.recordRequest(opcode, known: true)
            appendError(
                ErrorMessage(
                    code: .invalidRequest, message: "a keyed request's body starts with a 16-byte idempotency key; got \(frame.body.readableBytes) bytes",
                    field: "idempotencyKey"),
                opcode: opcode, correlationID: id, context: context)
            return
        }
        dispatchToRole(WireFrame(header: frame.header, body: body), idempotencyKey: IdempotencyKey(high: high, low: low), context: context)
    }

    /// The opcodes the server answers itself (never keyed).
    static let commonOpcodes: Set<Opcode> = [.hello, .ping, .stats, .health, .subscribe, .unsubscribe]

    /// Decodes a common request body and appends the reply or the error.
    private func reply<Request: WireRequestMessage>(
        decoding: Request.Type, _ frame: WireFrame, context: ChannelHandlerContext,
        answer: (Request) -> Result<Request.Response, ErrorMessage>
    ) {
        let id = frame.header.correlationID
        let request: Request
        do {
            request = try Request.decode(from: frame.body)
        } catch {
            appendError(Self.invalid(error), opcode: Request.opcode, correlationID: id, context: context)
            return
        }
        switch answer(request) {
        case .success(let response):
            appendResponse(Request.opcode, id, context: context) { response.encode(into: &$0) }
        case .failure(let error):
            appendError(error, opcode: Request.opcode, correlationID: id, context: context)
        }
    }

    /// The error frame body for a body that failed to decode.
    static func invalid(_ error: any Error) -> ErrorMessage {
        if let wire = error as? WireError {
            return ErrorMessage(code: wire.code, message: wire.description, field: wire.field)
        }
        return ErrorMessage(code: .invalidRequest, message: "\(error)")
    }

    /// The first frame must be a valid Hello (wire.md §5.1).
    private func processHello(_ frame: WireFrame, context: ChannelHandlerContext) {
        let header = frame.header
        guard header.version == 1 else {
            closeWithError(.unsupportedVersion, "Hello frames carry version 1", opcode: header.opcode, correlationID: header.correlationID, context: context)
            return
        }
        guard header.kind == .request, header.opcode == .hello else {
            core.statistics.recordRequest(header.opcode, known: false)
            closeWithError(.helloRequired, "the first frame must be a Hello request", opcode: header.opcode, correlationID: header.correlationID, context: context)
            return
        }
        core.statistics.recordRequest(.hello, known: true)
        let hello: HelloRequest
        do {
            hello = try HelloRequest.decode(from: frame.body)
        } catch {
            let message = Self.invalid(error)
            closeWithError(message.code, message.message, opcode: .hello, correlationID: header.correlationID, context: context)
            return
        }
        guard let chosen = hello.versions.filter({ WireProtocol.supportedVersions.contains($0) }).max() else {
            closeWithError(
                .unsupportedVersion, "server speaks versions \(WireProtocol.supportedVersions), client offered \(hello.versions)",
                opcode: .hello, correlationID: header.correlationID, context: context)
            return
        }
        if let check = core.tokenCheck {
            if let token = hello.token {
                guard check.matches(token) else {
                    closeWithError(.unauthorized, "wrong token", opcode: .hello, correlationID: header.correlationID, context: context)
                    return
                }
                authorized = true
            } else {
                authorized = false
            }
        } else {
            authorized = true
        }
        clientName = hello.clientName
        logger[metadataKey: "client"] = "\(hello.clientName)"
        version = chosen
        phase = .ready
        decoder.maxFrameLength = Int(core.helloLimits.maxFrameLength)
        let limits = core.helloLimits
        let response = HelloResponse(
            role: core.configuration.roleName, version: chosen, serverVersion: core.configuration.serverVersion,
            maxFrameLength: limits.maxFrameLength, maxInFlight: limits.maxInFlight, maxRows: limits.maxRows,
            authorized: authorized)
        // The Hello response carries version 1 like the request (wire.md §2.3).
        appendFrame(FrameHeader(version: 1, kind: .response, opcode: .hello, correlationID: header.correlationID), context: context) {
            response.encode(into: &$0)
        }
        logger.debug("hello", metadata: ["version": "\(chosen)", "authorized": "\(authorized)"])
    }

    private func subscribe(_ request: SubscribeRequest, subscriptionID: UInt32, context: ChannelHandlerContext) -> Result<SubscribeResponse, ErrorMessage> {
        guard !subscriptions.contains(subscriptionID) else {
            return .failure(ErrorMessage(code: .conflict, message: "subscription \(subscriptionID) already exists"))
        }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        do {
            let head = try core.hub.subscribe(
                connectionID: connectionID, subscriptionID: subscriptionID, topics: request.topics,
                fromSequence: request.fromSequence
            ) { [gate = core.gate] event in
                gate.execute(on: loop) { bound.value.deliver(event, subscriptionID: subscriptionID) }
            }
            subscriptions.insert(subscriptionID)
            return .success(SubscribeResponse(headSequence: head))
        } catch let error as ErrorMessage {
            return .failure(error)
        } catch {
            return .failure(ErrorMessage(code: .internal, message: "\(error)"))
        }
    }

    /// Writes one event frame (on the loop); closes a consumer that stopped reading.
    func deliver(_ event: EventMessage, subscriptionID: UInt32) {
        guard phase != .closing, subscriptions.contains(subscriptionID), let context else { return }
        guard context.channel.isWritable else {
            logger.warning("subscriber is not reading its events; closing")
            closeWithError(.unavailable, "slow consumer", context: context)
            return
        }
        appendFrame(FrameHeader(version: version, kind: .event, opcode: .subscribe, correlationID: subscriptionID), context: context) {
            event.encode(into: &$0)
        }
        flushPending(context: context)
    }

    /// Offers a request to the role: checks opcode, authorization, draining and the in-flight limit.
    private func dispatchToRole(_ frame: WireFrame, idempotencyKey: IdempotencyKey? = nil, context: ChannelHandlerContext) {
        let opcode = frame.header.opcode
        let id = frame.header.correlationID
        guard let operation = core.handler.operation(for: opcode) else {
            core.statistics.recordRequest(opcode, known: false)
            appendError(ErrorMessage(code: .unknownOpcode, message: "opcode \(opcode.hex) is not served by role \(core.configuration.roleName)"),
                        opcode: opcode, correlationID: id, context: context)
            return
        }
        core.statistics.recordRequest(opcode, known: true)
        if operation.mutating && !authorized {
            appendError(ErrorMessage(code: .unauthorized, message: "\(opcode.name) changes state and needs the token"),
                        opcode: opcode, correlationID: id, context: context)
            return
        }
        if draining {
            appendError(ErrorMessage(code: .unavailable, message: "server is shutting down"), opcode: opcode, correlationID: id, context: context)
            return
        }
        guard inFlight < core.configuration.maxInFlight else {
            appendError(ErrorMessage(code: .tooManyInFlight, message: "\(inFlight) requests already in flight"),
                        opcode: opcode, correlationID: id, context: context)
            return
        }
        let requestContext = WireRequestContext(
            connectionID: connectionID, clientName: clientName, authorized: authorized,
            allocator: context.channel.allocator, eventLoop: context.eventLoop, logger: logger,
            maxRows: Int(core.helloLimits.maxRows))
        let reply = core.handler.handle(WireRequest(opcode: opcode, correlationID: id, body: frame.body, idempotencyKey: idempotencyKey), context: requestContext)
        switch reply {
        case .response, .error:
            append(reply, opcode: opcode, correlationID: id, context: context)
        case .deferred(let work):
            inFlight += 1
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let loop = context.eventLoop
            let gate = core.gate
            Task {
                let result = await work()
                gate.execute(on: loop) { bound.value.completeDeferred(result, opcode: opcode, correlationID: id) }
            }
        }
    }

    private func append(_ reply: WireReply, opcode: Opcode, correlationID: UInt32, context: ChannelHandlerContext) {
        switch reply {
        case .response(var body):
            appendResponse(opcode, correlationID, context: context) { $0.writeBuffer(&body) }
        case .error(let error):
            appendError(error, opcode: opcode, correlationID: correlationID, context: context)
        case .deferred:
            appendError(ErrorMessage(code: .internal, message: "handler deferred twice"), opcode: opcode, correlationID: correlationID, context: context)
        }
    }

    /// Writes the result of slow work (on the loop).
    func completeDeferred(_ reply: WireReply, opcode: Opcode, correlationID: UInt32) {
        inFlight -= 1
        guard phase != .closing, let context else { return }
        append(reply, opcode: opcode, correlationID: correlationID, context: context)
        flushPending(context: context)
        if draining && inFlight == 0 {
            closeAfterFlush(context: context)
        }
    }
}
