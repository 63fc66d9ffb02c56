import Logging
import NIOCore
import NIOPosix
import ServiceKit
import ServiceLifecycle
import Testing
import Wire

/// A role for tests: 0x0300 echoes a u64 after a delay (read, deferred), 0x0301 is a state change
/// (write, immediate), 0x0302 answers immediately with the body length.
struct TestRoleHandler: WireRequestHandler {
    static let slowEcho = Opcode(rawValue: 0x0300)
    static let mutate = Opcode(rawValue: 0x0301)
    static let length = Opcode(rawValue: 0x0302)

    func operation(for opcode: Opcode) -> WireOperation? {
        switch opcode {
        case Self.slowEcho, Self.length: .read
        case Self.mutate: .write
        default: nil
        }
    }

    func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        switch request.opcode {
        case Self.slowEcho:
            var body = request.body
            guard let (delay, value) = body.readMultipleIntegers(as: (UInt32, UInt64).self) else {
                return .error(.invalidRequest, "need u32 delay, u64 value", field: "body")
            }
            let allocator = context.allocator
            return .deferred {
                try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000)
                var out = allocator.buffer(capacity: 8)
                out.writeInteger(value)
                return .response(out)
            }
        case Self.mutate:
            return .response(ByteBuffer(string: "done"))
        default:
            var out = context.allocator.buffer(capacity: 4)
            out.writeInteger(UInt32(request.body.readableBytes))
            return .response(out)
        }
    }

    static func slowEchoBody(delayMillis: UInt32, value: UInt64) -> ByteBuffer {
        var body = ByteBuffer()
        body.writeMultipleIntegers(delayMillis, value)
        return body
    }
}

/// A server on port 0 running in its own ServiceGroup for the duration of a test.
struct RunningServer {
    let server: WireServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int

    static func start(
        _ configure: (inout WireServerConfiguration) -> Void = { _ in },
        handler: any WireRequestHandler = TestRoleHandler()
    ) async throws -> RunningServer {
        var configuration = WireServerConfiguration()
        configuration.port = 0
        configuration.serverVersion = "test"
        configure(&configuration)
        var logger = Logger(label: "test-server")
        logger.logLevel = .critical
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return RunningServer(server: server, group: group, task: task, port: address.port ?? 0)
    }

    /// Triggers graceful shutdown and waits for the server to stop.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Waits until the server has received `count` requests with `opcode` (a fixed sleep is not
    /// enough when the whole suite loads the 2 cores: a request has taken over 500 ms to arrive).
    func waitUntilReceived(_ opcode: Opcode, count: UInt64 = 1, within limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let received = server.statistics().requestsByOpcode.first { $0.opcode == opcode }?.count ?? 0
            if received >= count { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        Issue.record("the server did not receive \(count) request(s) with opcode \(opcode) within \(limit)")
    }

    func client(token: String? = nil) async throws -> WireClient {
        try await WireClient.connect(
            host: "127.0.0.1", port: port, configuration: WireClientConfiguration(clientName: "test", token: token))
    }

    /// Opens a fresh client, pings, closes: proves the server still serves.
    func answersPing() async throws -> Bool {
        let client = try await client()
        defer { Task { await client.close() } }
        return try await client.ping(0xABCD) == 0xABCD
    }
}

/// A raw TCP connection that sends arbitrary bytes and collects whatever frames come back.
struct RawConnection {
    let channel: any Channel
    let frames: AsyncStream<WireFrame>

    static func connect(port: Int) async throws -> RawConnection {
        let (stream, continuation) = AsyncStream<WireFrame>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(WireFrameDecoder(maxFrameLength: 1 << 24)))
                    try channel.pipeline.syncOperations.addHandler(FrameCollector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, frames: stream)
    }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func send(_ buffer: ByteBuffer) async throws {
        try await channel.writeAndFlush(buffer)
    }

    func sendHello(token: String? = nil) async throws {
        var out = ByteBuffer()
        WireFrame.write(
            HelloRequest(clientName: "raw", token: token),
            header: FrameHeader(kind: .request, opcode: .hello, correlationID: 1),
            into: &out)
        try await send(out)
    }

    /// A frame with any header values and a raw body.
    static func frame(version: UInt8 = 1, kind: UInt8 = 0, opcode: UInt16, id: UInt32, body: [UInt8] = []) -> [UInt8] {
        var out = ByteBuffer()
        out.writeMultipleIntegers(UInt32(8 + body.count), version, kind, opcode, id)
        out.writeBytes(body)
        return Array(out.readableBytesView)
    }

    /// All frames until the server closes the connection.
    func framesUntilClose() async -> [WireFrame] {
        var all: [WireFrame] = []
        for await frame in frames { all.append(frame) }
        return all
    }

    func close() async {
        try? await channel.close()
    }
}

/// Yields decoded frames into a stream; finishes it when the connection closes.
final class FrameCollector: ChannelInboundHandler {
    typealias InboundIn = WireFrame
    let continuation: AsyncStream<WireFrame>.Continuation

    init(continuation: AsyncStream<WireFrame>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}

extension WireFrame {
    /// The decoded error body, if this is an error frame.
    var errorMessage: ErrorMessage? {
        header.kind == .error ? try? ErrorMessage.decode(from: body) : nil
    }
}
