import NIOCore

/// The client side of one connection, on its event loop: assigns correlation ids, keeps the table
/// of requests in flight (with their timeouts), matches responses in any order, and routes event
/// frames to their subscription's stream.
final class WireClientHandler: ChannelDuplexHandler {
    typealias InboundIn = WireFrame
    typealias OutboundIn = Command
    typealias OutboundOut = ByteBuffer

    /// What ``WireClient`` asks of the handler.
    enum Command: Sendable {
        /// Send a request and complete `promise` with the response frame.
        case request(Request)
        /// Stop routing events of a subscription and finish its stream.
        case dropSubscription(UInt32)
        /// Forget the request whose answer `future` awaits (its caller was cancelled): its timer
        /// stops, it fails with `CancellationError`, and a late answer is dropped.
        case forget(EventLoopFuture<WireFrame>)
    }

    /// One request to send.
    struct Request: Sendable {
        var opcode: Opcode
        var version: UInt8
        var body: ByteBuffer
        var timeout: TimeAmount?
        /// Sent as a keyed request (kind 4) with this key when set.
        var idempotencyKey: IdempotencyKey? = nil
        var promise: EventLoopPromise<WireFrame>
        /// Set for Subscribe: receives the subscription's events.
        var events: AsyncStream<EventMessage>.Continuation?
    }

    private struct Pending {
        var opcode: Opcode
        var promise: EventLoopPromise<WireFrame>
        var timer: Scheduled<Void>?
    }

    private var nextID: UInt32 = 1
    private var pending: [UInt32: Pending] = [:]
    private var subscriptions: [UInt32: AsyncStream<EventMessage>.Continuation] = [:]
    private var closed = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .dropSubscription(let id):
            subscriptions.removeValue(forKey: id)?.finish()
            promise?.succeed()
        case .forget(let future):
            if let id = pending.first(where: { $0.value.promise.futureResult === future })?.key,
                let entry = pending.removeValue(forKey: id)
            {
                entry.timer?.cancel()
                entry.promise.fail(CancellationError())
                subscriptions.removeValue(forKey: id)?.finish()
            }
            promise?.succeed()
        case .request(var request):
            guard !closed else {
                request.promise.fail(WireClientError.connectionClosed)
                promise?.fail(WireClientError.connectionClosed)
                return
            }
            var id = nextID
            while id == 0 || pending[id] != nil || subscriptions[id] != nil { id &+= 1 }
            nextID = id &+ 1
            var timer: Scheduled<Void>?
            if let timeout = request.timeout {
                let opcode = request.opcode
                timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                    if let entry = self.pending.removeValue(forKey: id) {
                        entry.promise.fail(WireClientError.timeout(opcode: opcode, after: timeout))
                        self.subscriptions.removeValue(forKey: id)?.finish()
                    }
                }
            }
            pending[id] = Pending(opcode: request.opcode, promise: request.promise, timer: timer)
            if let events = request.events { subscriptions[id] = events }
            var frame = context.channel.allocator.buffer(
                capacity: WireProtocol.lengthFieldSize + WireProtocol.headerSize + IdempotencyKey.byteCount
                    + request.body.readableBytes)
            let key = request.idempotencyKey
            WireFrame.write(
                FrameHeader(
                    version: request.version, kind: key == nil ? .request : .keyedRequest, opcode: request.opcode,
                    correlationID: id),
                into: &frame
            ) { body in
                if let key { body.writeMultipleIntegers(key.high, key.low) }
                body.writeBuffer(&request.body)
            }
            context.write(wrapOutboundOut(frame), promise: promise)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let id = frame.header.correlationID
        switch frame.header.kind {
        case .response:
            // A late answer to a request that timed out has no entry any more: ignored.
            if let entry = pending.removeValue(forKey: id) {
                entry.timer?.cancel()
                entry.promise.succeed(frame)
            }
        case .error:
            let error: WireClientError
            if let message = try? ErrorMessage.decode(from: frame.body) {
                error = .server(code: message.code, message: message.message, field: message.field)
            } else {
                error = .protocolViolation("undecodable error frame")
            }
            if id == 0 && frame.header.opcode == .none {
                failAll(error)
                context.close(promise: nil)
            } else if let entry = pending.removeValue(forKey: id) {
                entry.timer?.cancel()
                entry.promise.fail(error)
                subscriptions.removeValue(forKey: id)?.finish()
            }
        case .event:
            guard let event = try? EventMessage.decode(from: frame.body) else {
                failAll(.protocolViolation("undecodable event frame"))
                context.close(promise: nil)
                return
            }
            subscriptions[id]?.yield(event)
        default:
            failAll(.protocolViolation("unexpected frame kind \(frame.header.kind)"))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let wire = error as? WireError {
            failAll(.protocolViolation(wire.description))
        } else {
            failAll(.connectionClosed)
        }
        context.close(promise: nil)
    }

    private func failAll(_ error: WireClientError) {
        closed = true
        let entries = pending
        pending.removeAll()
        for (_, entry) in entries {
            entry.timer?.cancel()
            entry.promise.fail(error)
        }
        let streams = subscriptions
        subscriptions.removeAll()
        for (_, stream) in streams { stream.finish() }
    }
}
