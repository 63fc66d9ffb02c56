import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Wire

/// The shared TCP server of every role: a swift-service-lifecycle `Service` that binds, serves the
/// wire protocol with plain NIO handlers, and on graceful shutdown stops accepting, lets in-flight
/// requests finish (up to the grace period), then closes every connection. Its event loops are the
/// process's (`MultiThreadedEventLoopGroup.singleton` unless given), shared with every other server
/// and client in the process, so `churn serve all` runs four roles on one set of loop threads.
public final class WireServer: Service, Sendable {
    /// Settings.
    public let configuration: WireServerConfiguration
    /// Events published here reach subscribed connections (wire.md §6).
    public let events: WireEventHub

    private let core: ServerCore
    private let group: any EventLoopGroup
    private let address: EventLoopPromise<SocketAddress>
    private let logger: Logger

    /// Creates a server on `eventLoopGroup` (which it does not own: it stays up after ``run()``).
    public init(
        configuration: WireServerConfiguration, handler: any WireRequestHandler = NoRoleHandler(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) {
        self.configuration = configuration
        self.events = WireEventHub(retention: configuration.eventRetention)
        self.logger = logger
        self.core = ServerCore(configuration: configuration, handler: handler, hub: events, logger: logger)
        self.group = eventLoopGroup
        self.address = group.next().makePromise(of: SocketAddress.self)
    }

    /// The bound address (with the real port when 0 was configured); waits until bound.
    public var listeningAddress: SocketAddress {
        get async throws { try await address.futureResult.get() }
    }

    /// A Stats snapshot (the same the Stats opcode returns).
    public func statistics() -> StatsResponse {
        core.statistics.snapshot()
    }

    /// Serves until graceful shutdown or cancellation, then drains and returns.
    public func run() async throws {
        let core = self.core
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 1024 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let id = core.registry.admit() {
                        try channel.pipeline.syncOperations.addHandler(
                            WireConnectionHandler(core: core, connectionID: id))
                    } else {
                        core.statistics.recordError(.unavailable)
                        try channel.pipeline.syncOperations.addHandler(RejectingHandler())
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        } catch {
            address.fail(error)
            throw error
        }
        guard let local = channel.localAddress else {
            address.fail(ChannelError.unknownLocalAddress)
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        address.succeed(local)
        logger.info("listening", metadata: ["address": "\(local)", "role": "\(configuration.roleName)"])

        // Wait for SIGTERM/SIGINT (via the ServiceGroup) or cancellation.
        try? await gracefulShutdown()

        logger.info("shutting down: no new connections, finishing in-flight requests")
        try? await channel.close()
        core.registry.drainAll()
        let deadline = NIODeadline.now() + configuration.shutdownGracePeriod
        while core.registry.count > 0 && NIODeadline.now() < deadline {
            try? await pause()
        }
        if core.registry.count > 0 {
            logger.warning("grace period over; closing \(core.registry.count) connections")
            core.registry.closeAll()
            let hardDeadline = NIODeadline.now() + .seconds(1)
            while core.registry.count > 0 && NIODeadline.now() < hardDeadline {
                try? await pause()
            }
        }
        core.gate.close()
        logger.info("stopped")
    }

    /// A 5 ms wait that, unlike `Task.sleep`, still waits when the task is cancelled.
    private func pause() async throws {
        try await group.next().scheduleTask(in: .milliseconds(5)) {}.futureResult.get()
    }
}

/// Answers a connection over the limit with `unavailable` and closes it.
final class RejectingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        WireFrame.write(
            ErrorMessage(code: .unavailable, message: "too many connections"),
            header: FrameHeader(kind: .error, opcode: .none, correlationID: 0), into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
