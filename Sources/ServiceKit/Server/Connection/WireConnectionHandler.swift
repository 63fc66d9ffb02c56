import Logging
import NIOCore
import Wire

/// The server side of one connection, as a plain NIO inbound handler on the event loop (DESIGN.md:
/// no async channel on the request path).
///
/// It is deliberately thin: ``WireFrameBuffer`` cuts the input into frames,
/// ``WireConnectionStateMachine`` makes every protocol decision (wire.md §5, §8, §9), and this class
/// feeds events into the machine and runs the ``WireConnectionAction``s it returns — appending
/// frames, closing, scheduling timers, calling the role, hub and statistics. Responses produced
/// while reading are batched into one buffer and flushed once on read-complete.
final class WireConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Shared server state.
    let core: ServerCore
    /// Server-unique id of this connection.
    let connectionID: UInt64
    /// Logger with connection (and, after Hello, client) metadata.
    var logger: Logger
    /// Protocol state and decisions.
    var machine: WireConnectionStateMachine
    /// Framing and the partial frame's budget.
    var frames: WireFrameBuffer
    /// Frames produced while reading, flushed on read-complete.
    var pendingOut: ByteBuffer?
    /// Bytes read not yet added to the server statistics (added in batches to spare the counters' lock).
    var bytesIn = 0
    /// Bytes written not yet added to the server statistics.
    var bytesOut = 0
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
        self.machine = WireConnectionStateMachine(settings: core.connectionSettings, now: .now())
        self.frames = WireFrameBuffer(budget: core.bufferBudget)
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
            machine.admittedWhileDraining()
        }
        scheduleIdleCheck(context: context, at: machine.firstIdleCheck)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        partialTimer?.cancel()
        idleTimer?.cancel()
        partialTimer = nil
        idleTimer = nil
        frames.discard()
        if machine.channelInactive() {
            core.hub.removeAll(connectionID: connectionID)
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
        let input = unwrapInboundIn(data)
        let count = input.readableBytes
        guard machine.bytesArrived(at: .now()) else { return }
        bytesIn += count
        var buffer = frames.beginRead(input)
        var decodedAny = false
        do {
            while !machine.isClosing, let frame = try frames.nextFrame(from: &buffer) {
                decodedAny = true
                let decision = machine.frameReceived(frame)
                switch decision.count {
                case .none: break
                case .known: core.statistics.recordRequest(frame.header.opcode, known: true)
                case .unknown: core.statistics.recordRequest(frame.header.opcode, known: false)
                }
                run(decision.action, context: context)
            }
        } catch {
            run(machine.decodingFailed(error), context: context)
            return
        }
        guard !machine.isClosing else { return }
        let end = frames.endRead(remaining: buffer, allocator: context.channel.allocator)
        run(machine.readFinished(end, decodedAny: decodedAny), context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushPending(context: context)
        if bytesIn + bytesOut > 65_536 { flushStatistics() }
    }

    // MARK: Timers and draining

    /// (Re)starts the partial-frame deadline.
    func startPartialTimer(context: ChannelHandlerContext) {
        partialTimer?.cancel()
        partialTimer = context.eventLoop.assumeIsolated().scheduleTask(in: core.configuration.partialFrameTimeout) {
            self.partialTimer = nil
            guard let context = self.context else { return }
            self.run(self.machine.partialTimerFired(), context: context)
        }
    }

    /// Schedules the next idle check at `deadline`.
    func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.idleTimer = nil
            guard let context = self.context else { return }
            self.run(self.machine.idleTimerFired(now: .now()), context: context)
        }
    }

    /// Graceful shutdown: refuse new requests, close once nothing is in flight.
    func beginDrain() {
        let action = machine.drainRequested()
        guard let context else { return }
        run(action, context: context)
    }
}
