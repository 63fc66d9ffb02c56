import NIOCore
import NIOPosix
import Synchronization
import Wire

/// A TCP proxy in front of one server that forwards every byte both ways, except that it can drop
/// the next answer (response or error frame) to a chosen opcode: the server has applied the
/// request, but the client never hears so. The proxy then closes both connections, as a crash
/// between commit and reply would. Used to show that a retried keyed write (wire.md §2.4) is
/// applied once (tests and drills).
public final class AnswerDroppingProxy: Sendable {
    /// The port the proxy listens on (127.0.0.1).
    public let port: Int
    private let listener: any Channel
    private let plan: Plan

    /// Which answers to drop, and which were dropped.
    final class Plan: Sendable {
        private let state = Mutex<(pending: [Opcode: Int], dropped: [Opcode])>(([:], []))

        func add(_ opcode: Opcode) {
            state.withLock { $0.pending[opcode, default: 0] += 1 }
        }

        /// Whether an answer to `opcode` is to be dropped now (counting it when so).
        func take(_ opcode: Opcode) -> Bool {
            state.withLock { state in
                guard let count = state.pending[opcode], count > 0 else { return false }
                state.pending[opcode] = count - 1
                state.dropped.append(opcode)
                return true
            }
        }

        var dropped: [Opcode] { state.withLock { $0.dropped } }
    }

    private init(port: Int, listener: any Channel, plan: Plan) {
        self.port = port
        self.listener = listener
        self.plan = plan
    }

    /// Starts a proxy on a free loopback port in front of `host:port`.
    public static func start(
        targetHost: String, targetPort: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> AnswerDroppingProxy {
        let plan = Plan()
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { client in
                ClientBootstrap(group: client.eventLoop)
                    .channelInitializer { backend in
                        backend.eventLoop.makeCompletedFuture {
                            try backend.pipeline.syncOperations.addHandler(
                                ByteToMessageHandler(WireFrameDecoder(maxFrameLength: Int(UInt32.max))))
                            try backend.pipeline.syncOperations.addHandler(AnswerForwarder(client: client, plan: plan))
                        }
                    }
                    .connect(host: targetHost, port: targetPort)
                    .flatMapThrowing { backend in
                        try client.pipeline.syncOperations.addHandler(ByteForwarder(peer: backend))
                    }
                    .flatMap { client.setOption(.autoRead, value: true) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return AnswerDroppingProxy(port: listener.localAddress?.port ?? 0, listener: listener, plan: plan)
    }

    /// Drops the next answer to `opcode` (call again to drop more).
    public func dropNextAnswer(to opcode: Opcode) {
        plan.add(opcode)
    }

    /// The opcodes whose answers were dropped, in order.
    public var dropped: [Opcode] { plan.dropped }

    /// Stops listening (open connections stay until either side closes).
    public func close() async {
        try? await listener.close()
    }
}

/// Client → server: forwards raw bytes.
private final class ByteForwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let peer: any Channel

    init(peer: any Channel) { self.peer = peer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        peer.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Server → client: forwards frames, except an answer the plan drops (then both sides close).
private final class AnswerForwarder: ChannelInboundHandler {
    typealias InboundIn = WireFrame
    let client: any Channel
    let plan: AnswerDroppingProxy.Plan

    init(client: any Channel, plan: AnswerDroppingProxy.Plan) {
        self.client = client
        self.plan = plan
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let isAnswer = frame.header.kind == .response || frame.header.kind == .error
        if isAnswer, frame.header.opcode != .hello, plan.take(frame.header.opcode) {
            context.close(promise: nil)
            client.close(promise: nil)
            return
        }
        var buffer = context.channel.allocator.buffer(
            capacity: WireProtocol.lengthFieldSize + WireProtocol.headerSize + frame.body.readableBytes)
        WireFrame.write(frame.header, into: &buffer) { $0.writeImmutableBuffer(frame.body) }
        client.writeAndFlush(buffer, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        client.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
