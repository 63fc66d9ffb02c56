import NIOCore
import NIOPosix
import Synchronization

/// A TCP listener on 127.0.0.1 that accepts connections and never answers: a role that hangs
/// (its Hello is never answered, so a caller waits for its timeout).
final class SilentPeer: Sendable {
    /// The connections accepted so far, kept open until ``stop()``.
    private final class Accepted: Sendable {
        let channels = Mutex<[any Channel]>([])
    }

    private let listener: any Channel
    private let accepted: Accepted
    /// The port it listens on.
    let port: Int

    private init(listener: any Channel, accepted: Accepted) {
        self.listener = listener
        self.accepted = accepted
        self.port = listener.localAddress?.port ?? 0
    }

    /// Connections accepted so far.
    var acceptedCount: Int { accepted.channels.withLock { $0.count } }

    /// Starts listening on a free port.
    static func start() async throws -> SilentPeer {
        let accepted = Accepted()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.channels.withLock { $0.append(channel) }
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentPeer(listener: listener, accepted: accepted)
    }

    /// Stops listening and closes the accepted connections.
    func stop() async {
        try? await listener.close()
        for channel in accepted.channels.withLock({ $0 }) { try? await channel.close() }
    }
}
