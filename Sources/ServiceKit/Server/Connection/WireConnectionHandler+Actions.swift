import Logging
import NIOCore
import Wire

extension WireConnectionHandler {
    // MARK: Running actions

    /// Carries out one decision of the state machine on the channel.
    func run(_ action: WireConnectionAction, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .answerPing(let id, let payload):
            appendResponse(.ping, id, context: context) { $0.writeInteger(payload) }
        case .answerHello(let response, let id):
            logger[metadataKey: "client"] = "\(machine.clientName)"
            frames.maxFrameLength = Int(response.maxFrameLength)
            // The Hello response carries version 1 like the request (wire.md §2.3).
            appendFrame(FrameHeader(version: 1, kind: .response, opcode: .hello, correlationID: id), context: context) {
                response.encode(into: &$0)
            }
            logger.debug("hello", metadata: ["version": "\(response.version)", "authorized": "\(response.authorized)"])
        case .answerStats(let id):
            let snapshot = core.statistics.snapshot()
            appendResponse(.stats, id, context: context) { snapshot.encode(into: &$0) }
        case .answerHealth(let id, let fixed):
            let health = fixed ?? core.handler.health()
            appendResponse(.health, id, context: context) { health.encode(into: &$0) }
        case .subscribe(let request, let id):
            subscribe(request, subscriptionID: id, context: context)
        case .unsubscribe(let subscriptionID, let id):
            if core.hub.unsubscribe(connectionID: connectionID, subscriptionID: subscriptionID) {
                appendResponse(.unsubscribe, id, context: context) { UnsubscribeResponse().encode(into: &$0) }
            } else {
                appendError(
                    WireConnectionStateMachine.noSubscription(subscriptionID), opcode: .unsubscribe, correlationID: id,
                    context: context)
            }
        case .dispatch(let request):
            dispatchToRole(request, context: context)
        case .sendError(let error, let opcode, let id):
            appendError(error, opcode: opcode, correlationID: id, context: context)
        case .closeWithError(let error, let opcode, let id):
            logger.info("closing connection", metadata: ["code": "\(error.code)", "reason": "\(error.message)"])
            appendError(error, opcode: opcode, correlationID: id, context: context)
            closeAfterFlush(context: context)
        case .closeAfterFlush:
            closeAfterFlush(context: context)
        case .close(let reason):
            switch reason {
            case .partialFrameTimeout: logger.info("partial frame not completed in time; closing")
            case .idle: logger.debug("idle timeout; closing")
            }
            frames.discard()
            context.close(promise: nil)
        case .startPartialTimer:
            startPartialTimer(context: context)
        case .cancelPartialTimer:
            partialTimer?.cancel()
            partialTimer = nil
        case .scheduleIdleCheck(let deadline):
            scheduleIdleCheck(context: context, at: deadline)
        }
    }

    // MARK: Output

    /// Appends a frame to the batch flushed at read-complete.
    func appendFrame(_ header: FrameHeader, context: ChannelHandlerContext, body: (inout ByteBuffer) -> Void) {
        var out = pendingOut.take() ?? context.channel.allocator.buffer(capacity: 256)
        WireFrame.write(header, into: &out, writeBody: body)
        pendingOut = out
    }

    /// Appends a response frame with the negotiated version.
    func appendResponse(
        _ opcode: Opcode, _ correlationID: UInt32, context: ChannelHandlerContext, body: (inout ByteBuffer) -> Void
    ) {
        appendFrame(
            FrameHeader(version: machine.version, kind: .response, opcode: opcode, correlationID: correlationID),
            context: context, body: body)
    }

    /// Appends an error frame and counts its code.
    func appendError(_ error: ErrorMessage, opcode: Opcode, correlationID: UInt32, context: ChannelHandlerContext) {
        core.statistics.recordError(error.code)
        appendFrame(
            FrameHeader(version: machine.version, kind: .error, opcode: opcode, correlationID: correlationID),
            context: context
        ) {
            error.encode(into: &$0)
        }
    }

    /// Writes and flushes the batched frames.
    func flushPending(context: ChannelHandlerContext) {
        if let out = pendingOut.take() {
            bytesOut += out.readableBytes
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
    }

    /// Adds the byte counts gathered so far to the server statistics.
    func flushStatistics() {
        if bytesIn != 0 || bytesOut != 0 {
            core.statistics.recordBytes(in: bytesIn, out: bytesOut)
            bytesIn = 0
            bytesOut = 0
        }
    }

    /// Drops the partial frame and its deadline, flushes pending output, then closes.
    func closeAfterFlush(context: ChannelHandlerContext) {
        frames.discard()
        partialTimer?.cancel()
        partialTimer = nil
        let out = pendingOut.take() ?? context.channel.allocator.buffer(capacity: 0)
        bytesOut += out.readableBytes
        context.writeAndFlush(wrapOutboundOut(out)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    // MARK: Role and hub

    /// Hands a request the state machine admitted to the role; runs deferred work as a task whose
    /// result comes back on the loop.
    private func dispatchToRole(_ request: WireRequest, context: ChannelHandlerContext) {
        let requestContext = WireRequestContext(
            connectionID: connectionID, clientName: machine.clientName, authorized: machine.authorized,
            allocator: context.channel.allocator, eventLoop: context.eventLoop, logger: logger,
            maxRows: Int(machine.settings.maxRows))
        let (opcode, id) = (request.opcode, request.correlationID)
        let reply = core.handler.handle(request, context: requestContext)
        switch reply {
        case .response, .error:
            append(reply, opcode: opcode, correlationID: id, context: context)
        case .deferred(let work):
            machine.requestDeferred()
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
            appendError(
                ErrorMessage(code: .internal, message: "handler deferred twice"), opcode: opcode,
                correlationID: correlationID, context: context)
        }
    }

    /// Writes the result of slow work (on the loop).
    func completeDeferred(_ reply: WireReply, opcode: Opcode, correlationID: UInt32) {
        let delivery = machine.deferredRequestFinished()
        guard delivery != .discard, let context else { return }
        append(reply, opcode: opcode, correlationID: correlationID, context: context)
        flushPending(context: context)
        if delivery == .writeAndClose {
            closeAfterFlush(context: context)
        }
    }

    /// Registers a subscription with the hub; its events come back on the loop.
    private func subscribe(_ request: SubscribeRequest, subscriptionID: UInt32, context: ChannelHandlerContext) {
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        do {
            let head = try core.hub.subscribe(
                connectionID: connectionID, subscriptionID: subscriptionID, topics: request.topics,
                fromSequence: request.fromSequence
            ) { [gate = core.gate] event in
                gate.execute(on: loop) { bound.value.deliver(event, subscriptionID: subscriptionID) }
            }
            machine.subscriptionAdded(subscriptionID)
            appendResponse(.subscribe, subscriptionID, context: context) {
                SubscribeResponse(headSequence: head).encode(into: &$0)
            }
        } catch let error as ErrorMessage {
            appendError(error, opcode: .subscribe, correlationID: subscriptionID, context: context)
        } catch {
            appendError(
                ErrorMessage(code: .internal, message: "\(error)"), opcode: .subscribe, correlationID: subscriptionID,
                context: context)
        }
    }

    /// Writes one event frame (on the loop); closes a consumer that stopped reading.
    func deliver(_ event: EventMessage, subscriptionID: UInt32) {
        guard let context else { return }
        switch machine.eventArrived(subscriptionID: subscriptionID, channelWritable: context.channel.isWritable) {
        case .discard:
            return
        case .closeSlowConsumer(let error):
            logger.warning("subscriber is not reading its events; closing")
            run(.closeWithError(error, opcode: .none, correlationID: 0), context: context)
        case .write:
            appendFrame(
                FrameHeader(version: machine.version, kind: .event, opcode: .subscribe, correlationID: subscriptionID),
                context: context
            ) {
                event.encode(into: &$0)
            }
            flushPending(context: context)
        }
    }
}
