import NIOCore

/// One benchmark connection: Hello, wait for ``Start``, then `quota` sequential Pings.
final class PingBenchmarkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// User event that starts the Ping loop.
    struct Start: Sendable {}

    private let quota: Int
    private let token: String?
    private let ready: EventLoopPromise<Void>
    private let done: EventLoopPromise<[UInt64]>
    private var latencies: [UInt64]
    private var sent = 0
    private var sentAt: UInt64 = 0
    private var helloDone = false
    private var pingFrame = ByteBuffer()
    private var cumulation: ByteBuffer?

    /// Creates a connection that will send `quota` Pings after ``Start``.
    init(quota: Int, token: String?, ready: EventLoopPromise<Void>, done: EventLoopPromise<[UInt64]>) {
        self.quota = quota
        self.token = token
        self.ready = ready
        self.done = done
        self.latencies = [UInt64](repeating: 0, count: quota)
    }

    func channelActive(context: ChannelHandlerContext) {
        var hello = context.channel.allocator.buffer(capacity: 64)
        WireFrame.write(
            HelloRequest(clientName: "churn-bench", token: token),
            header: FrameHeader(kind: .request, opcode: .hello, correlationID: 1), into: &hello)
        context.writeAndFlush(wrapOutboundOut(hello), promise: nil)
        pingFrame = context.channel.allocator.buffer(capacity: 20)
        WireFrame.write(PingRequest(payload: 0), header: FrameHeader(kind: .request, opcode: .ping, correlationID: 2), into: &pingFrame)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Start {
            sendPing(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func sendPing(context: ChannelHandlerContext) {
        sentAt = BenchClock.nanoseconds()
        context.writeAndFlush(wrapOutboundOut(pingFrame), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if var existing = cumulation.take() {
            existing.writeBuffer(&buffer)
            buffer = existing
        }
        while let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
            buffer.readableBytes >= 4 + Int(length), length >= 8
        {
            let kind = buffer.getInteger(at: buffer.readerIndex + 5, as: UInt8.self) ?? 0xFF
            let opcode = buffer.getInteger(at: buffer.readerIndex + 6, as: UInt16.self) ?? 0
            buffer.moveReaderIndex(forwardBy: 4 + Int(length))
            guard kind == FrameKind.response.rawValue else {
                fail(context: context, PingBenchmark.Failure.unexpectedFrame("kind \(kind), opcode \(opcode)"))
                return
            }
            if !helloDone {
                helloDone = true
                ready.succeed()
                continue
            }
            latencies[sent] = BenchClock.nanoseconds() &- sentAt
            sent += 1
            if sent == quota {
                done.succeed(latencies)
                return
            }
            sendPing(context: context)
        }
        if buffer.readableBytes > 0 { cumulation = buffer }
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        ready.fail(error)
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        ready.fail(ChannelError.ioOnClosedChannel)
        done.fail(ChannelError.ioOnClosedChannel)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }
}

/// Monotonic nanoseconds (CLOCK_MONOTONIC through NIO's deadline clock).
enum BenchClock {
    @inline(__always)
    /// Now, in nanoseconds of the monotonic clock.
    static func nanoseconds() -> UInt64 {
        NIODeadline.now().uptimeNanoseconds
    }
}
