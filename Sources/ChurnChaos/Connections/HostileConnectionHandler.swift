import NIOCore
import Wire

/// The inbound side of a ``HostileConnection``: counts the answers the server sends back (events
/// of subscriptions a hostile frame made are not answers) and
/// completes the Hello and barrier promises. Lives on the channel's event loop; talked to only
/// through the ``Barrier`` user event and the ``Counter`` read after close.
final class HostileConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WireFrame

    /// User event: complete `promise` when the Ping with ``HostileConnection/barrierID`` is
    /// answered (true) or the connection closes (false).
    struct Barrier {
        let promise: EventLoopPromise<Bool>
    }

    /// Frames received, written on the event loop only and read once the channel has closed
    /// (its close future orders the reads after every write).
    final class Counter: @unchecked Sendable {
        var value = 0
    }

    private let hello: EventLoopPromise<WireFrame>
    private var barrier: EventLoopPromise<Bool>?
    private let received: Counter
    private var closed = false

    /// A handler that completes `hello` with the server's first answer and counts the other
    /// frames into `received`.
    init(hello: EventLoopPromise<WireFrame>, received: Counter) {
        self.hello = hello
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.header.opcode == .hello
            || (frame.header.kind == .error && frame.header.correlationID == HostileConnection.helloID)
        {
            hello.succeed(frame)
            return
        }
        if frame.header.opcode == .ping, frame.header.correlationID == HostileConnection.barrierID {
            barrier?.succeed(true)
            barrier = nil
            return
        }
        if frame.header.kind != .event { received.value += 1 }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? Barrier {
            if closed {
                event.promise.succeed(false)
            } else {
                barrier?.succeed(false)
                barrier = event.promise
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        hello.fail(WireClientError.connectionClosed)
        barrier?.succeed(false)
        barrier = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
