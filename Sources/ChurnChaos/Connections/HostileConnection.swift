import NIOCore
import NIOPosix
import Wire

/// A raw connection for hostile input (`churn-chaos hostile`): completes a valid Hello, then writes
/// whatever bytes it is given, and can wait for a barrier Ping to learn that the server has
/// processed everything before it. Counts the frames the server sends back.
public final class HostileConnection: Sendable {
    /// The correlation id of the barrier Ping (hostile frames use ids below 0x8000_0000).
    public static let barrierID: UInt32 = 0xFFFF_FFFE
    /// The correlation id of the Hello.
    public static let helloID: UInt32 = 0xFFFF_FFFD

    /// How a barrier ended.
    public enum Outcome: Sendable, Equatable {
        /// The server answered the Ping: everything before it was processed.
        case answered
        /// The server closed the connection.
        case closed
        /// No answer in time.
        case timedOut
    }

    private let channel: any Channel
    private let received: HostileConnectionHandler.Counter

    private init(channel: any Channel, received: HostileConnectionHandler.Counter) {
        self.channel = channel
        self.received = received
    }

    /// Connects and, when `hello` is true, completes Hello (with `token`, if any); throws when the
    /// server refuses.
    public static func open(
        host: String, port: Int, token: String?, hello sendHello: Bool = true,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HostileConnection {
        let loop = group.next()
        let hello = loop.makePromise(of: WireFrame.self)
        let received = HostileConnectionHandler.Counter()
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(3))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(WireFrameDecoder(maxFrameLength: 64 * 1024 * 1024)))
                    try channel.pipeline.syncOperations.addHandler(
                        HostileConnectionHandler(hello: hello, received: received))
                }
            }
            .connect(host: host, port: port).get()
        guard sendHello else { return HostileConnection(channel: channel, received: received) }
        var buffer = channel.allocator.buffer(capacity: 64)
        WireFrame.write(
            HelloRequest(clientName: "chaos-hostile", token: token),
            header: FrameHeader(kind: .request, opcode: .hello, correlationID: helloID), into: &buffer)
        channel.writeAndFlush(buffer, promise: nil)
        let scheduled = loop.scheduleTask(in: .seconds(5)) {
            hello.fail(WireClientError.timeout(opcode: .hello, after: .seconds(5)))
        }
        defer { scheduled.cancel() }
        do {
            let frame = try await hello.futureResult.get()
            guard frame.header.kind == .response else {
                throw WireClientError.protocolViolation("Hello refused")
            }
        } catch {
            try? await channel.close()
            throw error
        }
        return HostileConnection(channel: channel, received: received)
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Writes `bytes` as they are.
    public func write(_ bytes: [UInt8]) async {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        try? await channel.writeAndFlush(buffer)
    }

    /// Writes a Ping with ``barrierID`` and waits for its answer, the close, or `timeout`.
    public func barrier(timeout: TimeAmount) async -> Outcome {
        guard channel.isActive else { return .closed }
        let promise = channel.eventLoop.makePromise(of: Bool.self)
        channel.pipeline.fireUserInboundEventTriggered(HostileConnectionHandler.Barrier(promise: promise))
        var buffer = channel.allocator.buffer(capacity: 20)
        WireFrame.write(
            PingRequest(payload: 0), header: FrameHeader(kind: .request, opcode: .ping, correlationID: Self.barrierID),
            into: &buffer)
        channel.writeAndFlush(buffer, promise: nil)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(WireClientError.timeout(opcode: .ping, after: timeout))
        }
        defer { timer.cancel() }
        do {
            return try await promise.futureResult.get() ? .answered : .closed
        } catch {
            return .timedOut
        }
    }

    /// Closes the connection and returns the frames the server sent back on it (Hello and
    /// barrier answers excluded).
    @discardableResult
    public func close() async -> Int {
        try? await channel.close()
        try? await channel.closeFuture.get()
        return received.value
    }
}
