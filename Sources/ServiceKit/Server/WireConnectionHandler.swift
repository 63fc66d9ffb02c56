import Logging
import NIOCore
import Wire

/// The whole server side of one connection, as a plain NIO inbound handler on the event loop
/// (DESIGN.md: no async channel on the request path). It frames input with ``WireFrameDecoder``
/// (its own cumulation buffer, so the limit can be raised after Hello), enforces the handshake,
/// limits and timeouts of wire.md §8–§9, answers the common opcodes and hands the rest to the role.
/// Responses produced while reading are batched into one buffer and flushed on read-complete.
final class WireConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Where the connection is in its life.
    enum Phase {
        case awaitingHello
        case ready
        case closing
    }

    /// Shared server state.
    let core: ServerCore
    /// Server-unique id of this connection.
    let connectionID: UInt64
    /// Logger with connection (and, after Hello, client) metadata.
    var logger: Logger
    /// Frame splitter; its limit is raised after Hello.
    var decoder = WireFrameDecoder(maxFrameLength: WireProtocol.maxFrameLengthBeforeHello)
    /// Bytes of an incomplete frame kept between reads.
    var cumulation: ByteBuffer?
    /// Bytes of `cumulation` charged to the server-wide budget.
    var budgetedBytes = 0
    /// Frames produced while reading, flushed on read-complete.
    var pendingOut: ByteBuffer?
    /// Handshake state.
    var phase = Phase.awaitingHello
    /// The negotiated protocol version.
    var version: UInt8 = WireProtocol.version
    /// Whether state-changing opcodes are allowed.
    var authorized = false
    /// Client name from Hello.
    var clientName = ""
    /// Deferred requests not yet answered.
    var inFlight = 0
    /// Ids of this connection's live subscriptions.
    var subscriptions: Set<UInt32> = []
    /// Set by graceful shutdown: refuse new role requests, close when idle.
    var draining = false
    /// Bytes read not yet added to the server statistics.
    var bytesIn = 0
    /// Bytes written not yet added to the server statistics.
    var bytesOut = 0
    /// When bytes last arrived (idle timeout).
    var lastRead = NIODeadline.now()
    /// Closes the connection if the current partial frame is not completed in time.
    var partialTimer: Scheduled<Void>?
    /// Next idle check.
    var idleTimer: Scheduled<Void>?
    /// The handler context while the handler is in the pipeline.
    var context: ChannelHandlerContext?

    /// Creates the handler for connection `connectionID`.
    init(core: ServerCore, connectionID: UInt64) {
        self.core = core
        self.connectionID = connectionID
        var logger = core.logger
        logger[metadataKey: "connection"] = "\(connectionID)"
        self.logger = logger
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        core.statistics.connectionOpened()
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let gate = core.gate
        let entry = ConnectionRegistry.Entry(channel: context.channel) {
            gate.execute(on: loop) { bound.value.beginDrain() }
        }
        if !core.registry.register(connectionID, entry) {
            draining = true
        }
        scheduleIdleCheck(context: context, at: lastRead + core.configuration.idleTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        partialTimer?.cancel()
        idleTimer?.cancel()
        partialTimer = nil
        idleTimer = nil
        phase = .closing
        dropCumulation()
        if !subscriptions.isEmpty {
            core.hub.removeAll(connectionID: connectionID)
            subscriptions.removeAll()
        }
        core.handler.connectionClosed(connectionID)
        flushStatistics()
        core.statistics.connectionClosed()
        core.registry.remove(connectionID)
        logger.debug("connection closed")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Input

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard phase != .closing else { return }
        var input = unwrapInboundIn(data)
        bytesIn += input.readableBytes
        lastRead = .now()
        var buffer: ByteBuffer
        if var existing = cumulation.take() {
            existing.writeBuffer(&input)
            buffer = existing
        } else {
            buffer = input
        }
        var decodedAny = false
        do {
            while phase != .closing, let frame = try decoder.decode(buffer: &buffer) {
                decodedAny = true
                process(frame, context: context)
            }
        } catch let error as WireError {
            closeWithError(error.code, error.description, context: context)
            return
        } catch {
            closeWithError(.malformedFrame, "\(error)", context: context)
            return
        }
        guard phase != .closing else { return }
        if buffer.readableBytes == 0 {
            partialTimer?.cancel()
            partialTimer = nil
            if budgetedBytes != 0 { dropCumulation() }
        } else {
            // Keep only the partial frame, in a right-sized buffer when the read buffer is much bigger.
            if buffer.capacity > 2 * buffer.readableBytes + 4096 {
                var compact = context.channel.allocator.buffer(capacity: buffer.readableBytes)
                compact.writeBuffer(&buffer)
                buffer = compact
            }
            // Account the memory actually held (capacity) against the server-wide budget.
            if budgetedBytes != buffer.capacity {
                guard core.bufferBudget.change(from: budgetedBytes, to: buffer.capacity) else {
                    closeWithError(.unavailable, "server-wide partial-frame memory budget exhausted", context: context)
                    return
                }
                budgetedBytes = buffer.capacity
            }
            cumulation = buffer
            if decodedAny || partialTimer == nil {
                startPartialTimer(context: context)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushPending(context: context)
        if bytesIn + bytesOut > 65_536 { flushStatistics() }
    }

    // MARK: Output

    /// Appends a frame to the batch flushed at read-complete.
    func appendFrame(_ header: FrameHeader, context: ChannelHandlerContext, body: (inout ByteBuffer) -> Void) {
        var out = pendingOut.take() ?? context.channel.allocator.buffer(capacity: 256)
        WireFrame.write(header, into: &out, writeBody: body)
        pendingOut = out
    }

    /// Appends a response frame.
    func appendResponse(_ opcode: Opcode, _ correlationID: UInt32, context: ChannelHandlerContext, body: (inout ByteBuffer) -> Void) {
        appendFrame(FrameHeader(version: version, kind: .response, opcode: opcode, correlationID: correlationID), context: context, body: body)
    }

    /// Appends an error frame.
    func appendError(_ error: ErrorMessage, opcode: Opcode, correlationID: UInt32, context: ChannelHandlerContext) {
        core.statistics.recordError(error.code)
        appendFrame(FrameHeader(version: version, kind: .error, opcode: opcode, correlationID: correlationID), context: context) {
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

    /// Sends an error frame (for a request, or connection-level with opcode 0 / id 0) and closes
    /// once it is written.
    func closeWithError(
        _ code: WireErrorCode, _ message: String, opcode: Opcode = .none, correlationID: UInt32 = 0,
        context: ChannelHandlerContext
    ) {
        guard phase != .closing else { return }
        logger.info("closing connection", metadata: ["code": "\(code)", "reason": "\(message)"])
        appendError(ErrorMessage(code: code, message: message), opcode: opcode, correlationID: correlationID, context: context)
        closeAfterFlush(context: context)
    }

    /// Flushes pending output, then closes.
    func closeAfterFlush(context: ChannelHandlerContext) {
        phase = .closing
        dropCumulation()
        partialTimer?.cancel()
        partialTimer = nil
        let out = pendingOut.take() ?? context.channel.allocator.buffer(capacity: 0)
        bytesOut += out.readableBytes
        context.writeAndFlush(wrapOutboundOut(out)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Forgets the partial frame and returns its bytes to the server-wide budget.
    func dropCumulation() {
        cumulation = nil
        if budgetedBytes != 0 {
            _ = core.bufferBudget.change(from: budgetedBytes, to: 0)
            budgetedBytes = 0
        }
    }

    // MARK: Timers and draining

    /// (Re)starts the partial-frame deadline.
    func startPartialTimer(context: ChannelHandlerContext) {
        partialTimer?.cancel()
        partialTimer = context.eventLoop.assumeIsolated().scheduleTask(in: core.configuration.partialFrameTimeout) {
            self.partialTimer = nil
            guard self.phase != .closing, let context = self.context else { return }
            self.logger.info("partial frame not completed in time; closing")
            self.phase = .closing
            self.dropCumulation()
            context.close(promise: nil)
        }
    }

    /// Schedules the next idle check at `deadline`.
    func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.idleTimer = nil
            guard self.phase != .closing, let context = self.context else { return }
            let idle = self.core.configuration.idleTimeout
            let busy = self.inFlight > 0 || !self.subscriptions.isEmpty || self.cumulation != nil
            if !busy && NIODeadline.now() - self.lastRead >= idle {
                self.logger.debug("idle timeout; closing")
                self.phase = .closing
                context.close(promise: nil)
            } else {
                self.scheduleIdleCheck(context: context, at: max(self.lastRead + idle, .now() + .milliseconds(10)))
            }
        }
    }

    /// Graceful shutdown: refuse new requests, close once nothing is in flight.
    func beginDrain() {
        draining = true
        guard let context, phase != .closing, inFlight == 0 else { return }
        closeAfterFlush(context: context)
    }
}
