import Logging
import NIOCore
import NIOPosix

/// An async/await client of the wire protocol: one TCP connection, Hello on connect, any number of
/// pipelined requests matched by correlation id (responses may arrive out of order), per-request
/// timeouts, typed errors, and subscriptions.
public final class WireClient: Sendable {
    /// The server's Hello response (role, version, limits, authorization).
    public let hello: HelloResponse
    /// Settings.
    public let configuration: WireClientConfiguration
    private let channel: any Channel

    private init(channel: any Channel, hello: HelloResponse, configuration: WireClientConfiguration) {
        self.channel = channel
        self.hello = hello
        self.configuration = configuration
    }

    /// Connects and completes Hello; throws ``WireClientError`` when the server refuses, and
    /// `CancellationError` at once when the task is cancelled meanwhile.
    public static func connect(
        host: String, port: Int, configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> WireClient {
        let maxFrame = configuration.maxFrameLength
        let connecting = ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(configuration.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(WireFrameDecoder(maxFrameLength: maxFrame)))
                    try channel.pipeline.syncOperations.addHandler(WireClientHandler())
                }
            }
            .connect(host: host, port: port)
        let channel: any Channel
        do {
            channel = try await connecting.getUnlessCancelled()
        } catch let error as CancellationError {
            connecting.whenSuccess { $0.close(promise: nil) }  // opened after the caller gave up
            throw error
        }
        do {
            let request = HelloRequest(
                clientName: configuration.clientName, versions: WireProtocol.supportedVersions,
                token: configuration.token)
            let frame = try await send(
                on: channel, opcode: .hello, version: 1, body: request.encodedBody(allocator: channel.allocator),
                timeout: configuration.connectTimeout)
            let hello = try decode(HelloResponse.self, frame, opcode: .hello)
            return WireClient(channel: channel, hello: hello, configuration: configuration)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Sends a typed request and decodes its typed response.
    public func send<R: WireRequestMessage>(_ request: R, timeout: TimeAmount? = nil) async throws -> R.Response {
        let frame = try await Self.send(
            on: channel, opcode: R.opcode, version: hello.version,
            body: request.encodedBody(allocator: channel.allocator),
            timeout: timeout ?? configuration.requestTimeout)
        return try Self.decode(R.Response.self, frame, opcode: R.opcode)
    }

    /// Sends a raw body under any opcode (for role opcodes without a message type here) and
    /// returns the raw response body. With `idempotencyKey` it goes as a keyed request (wire.md
    /// §2.4): a server that has already applied a request with that key answers with the first
    /// outcome instead of applying it again.
    public func request(
        opcode: Opcode, body: ByteBuffer, timeout: TimeAmount? = nil, idempotencyKey: IdempotencyKey? = nil
    ) async throws -> ByteBuffer {
        try await Self.send(
            on: channel, opcode: opcode, version: hello.version, body: body,
            timeout: timeout ?? configuration.requestTimeout,
            idempotencyKey: idempotencyKey
        ).body
    }

    /// Round trip of one Ping; returns the echoed payload.
    public func ping(_ payload: UInt64 = 0) async throws -> UInt64 {
        try await send(PingRequest(payload: payload)).payload
    }

    /// Subscribes to `topics`, optionally replaying from `fromSequence` (wire.md §6.1).
    public func subscribe(topics: [String], fromSequence: UInt64? = nil) async throws -> WireSubscription {
        let (stream, continuation) = AsyncStream<EventMessage>.makeStream(bufferingPolicy: .unbounded)
        let promise = channel.eventLoop.makePromise(of: WireFrame.self)
        let request = WireClientHandler.Request(
            opcode: .subscribe, version: hello.version,
            body: SubscribeRequest(topics: topics, fromSequence: fromSequence).encodedBody(
                allocator: channel.allocator),
            timeout: configuration.requestTimeout, promise: promise, events: continuation)
        channel.writeAndFlush(WireClientHandler.Command.request(request), promise: nil)
        let frame = try await Self.awaitAnswer(promise, on: channel)
        let response = try Self.decode(SubscribeResponse.self, frame, opcode: .subscribe)
        return WireSubscription(id: frame.header.correlationID, headSequence: response.headSequence, events: stream)
    }

    /// Ends a subscription; its event stream finishes.
    public func unsubscribe(_ subscription: WireSubscription) async throws {
        _ = try await send(UnsubscribeRequest(subscriptionID: subscription.id))
        try await channel.writeAndFlush(WireClientHandler.Command.dropSubscription(subscription.id))
    }

    /// Whether the connection is open.
    public var isActive: Bool { channel.isActive }

    /// Closes the connection; requests in flight fail with ``WireClientError/connectionClosed``.
    public func close() async {
        try? await channel.close()
    }

    private static func send(
        on channel: any Channel, opcode: Opcode, version: UInt8, body: ByteBuffer, timeout: TimeAmount?,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws -> WireFrame {
        let promise = channel.eventLoop.makePromise(of: WireFrame.self)
        let request = WireClientHandler.Request(
            opcode: opcode, version: version, body: body, timeout: timeout, idempotencyKey: idempotencyKey,
            promise: promise,
            events: nil)
        channel.writeAndFlush(WireClientHandler.Command.request(request)).whenFailure { error in
            promise.fail(error as? WireClientError ?? .connectionClosed)
        }
        return try await awaitAnswer(promise, on: channel)
    }

    /// Waits for `promise`; a cancelled task stops waiting at once with a `CancellationError`
    /// (the connection stays open, and the handler forgets the request, so a late answer is dropped).
    private static func awaitAnswer(_ promise: EventLoopPromise<WireFrame>, on channel: any Channel) async throws
        -> WireFrame
    {
        do {
            return try await promise.futureResult.getUnlessCancelled()
        } catch let error as CancellationError {
            channel.writeAndFlush(WireClientHandler.Command.forget(promise.futureResult), promise: nil)
            throw error
        }
    }

    private static func decode<M: WireMessage>(_ type: M.Type, _ frame: WireFrame, opcode: Opcode) throws -> M {
        guard frame.header.opcode == opcode else {
            throw WireClientError.protocolViolation("response opcode \(frame.header.opcode) for a \(opcode) request")
        }
        do {
            return try M.decode(from: frame.body)
        } catch {
            throw WireClientError.protocolViolation("\(opcode) response: \(error)")
        }
    }
}
