import NIOCore
import Wire

/// One benchmark connection: Hello, wait for ``Start``, then `quota` sequential requests, cycling
/// through prebuilt request frames, recording each round trip into a preallocated array.
final class ClosedLoopBenchmarkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// User event that starts the request loop.
    struct Start {}

    private let quota: Int
    private let frames: [ByteBuffer]
    private let clientName: String
    private let token: String?
    private let ready: EventLoopPromise<Void>
    private let done: EventLoopPromise<[UInt64]>
    private var next: Int
    private var latencies: [UInt64]
    private var sent = 0
    private var sentAt: UInt64 = 0
    private var helloDone = false
    private var cumulation: ByteBuffer?

    /// A connection that sends `quota` requests after ``Start``, starting at `frames[offset % count]`.
    init(
        quota: Int, frames: [ByteBuffer], offset: Int, clientName: String, token: String?,
        ready: EventLoopPromise<Void>, done: EventLoopPromise<[UInt64]>
    ) {
        self.quota = quota
        self.frames = frames
        self.next = offset
        self.clientName = clientName
        self.token = token
        self.ready = ready
        self.done = done
        self.latencies = [UInt64](repeating: 0, count: quota)
    }

    func channelActive(context: ChannelHandlerContext) {
        var hello = context.channel.allocator.buffer(capacity: 64)
        WireFrame.write(
            HelloRequest(clientName: clientName, token: token),
            header: FrameHeader(kind: .request, opcode: .hello, correlationID: 1), into: &hello)
        context.writeAndFlush(wrapOutboundOut(hello), promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Start {
            send(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func send(context: ChannelHandlerContext) {
        let frame = frames[next % frames.count]
        next &+= 1
        sentAt = NIODeadline.now().uptimeNanoseconds
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
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
            if kind != FrameKind.response.rawValue {
                let body = buffer.getSlice(at: buffer.readerIndex + 12, length: Int(length) - 8) ?? ByteBuffer()
                let reason =
                    (try? ErrorMessage.decode(from: body)).map { "\($0.code): \($0.message)" } ?? "kind \(kind)"
                fail(context: context, BenchmarkFailure.unexpectedFrame("opcode \(opcode): \(reason)"))
                return
            }
            buffer.moveReaderIndex(forwardBy: 4 + Int(length))
            if !helloDone {
                helloDone = true
                ready.succeed()
                continue
            }
            latencies[sent] = NIODeadline.now().uptimeNanoseconds &- sentAt
            sent += 1
            if sent == quota {
                done.succeed(latencies)
                return
            }
            send(context: context)
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
