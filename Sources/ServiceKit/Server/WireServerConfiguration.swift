import NIOCore
import Wire

/// Settings of a ``WireServer`` (wire.md §8 limits and the scaffold's own knobs).
public struct WireServerConfiguration: Sendable {
    /// Address to bind; loopback by default.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (read it from ``WireServer/listeningAddress``).
    public var port: Int = WireProtocol.defaultPort
    /// Connections accepted at once; further ones get `unavailable` and are closed.
    public var maxConnections: Int = 16_384
    /// Requests one connection may have in flight (announced in Hello).
    public var maxInFlight: Int = 128
    /// Largest frame after Hello (announced in Hello).
    public var maxFrameLength: Int = WireProtocol.defaultMaxFrameLength
    /// Largest number of rows per request (announced in Hello; enforced by roles).
    public var maxRows: Int = 100_000
    /// A connection with nothing in flight, no subscription and no bytes received for this long is closed.
    public var idleTimeout: TimeAmount = .seconds(300)
    /// A frame whose first byte arrived must be complete within this time, else the connection is closed.
    public var partialFrameTimeout: TimeAmount = .seconds(30)
    /// How long graceful shutdown waits for in-flight requests before closing connections anyway.
    public var shutdownGracePeriod: TimeAmount = .seconds(2)
    /// Shared secret; when set, state-changing opcodes need it (wire.md §5.1).
    public var token: String?
    /// Role name announced in Hello and Stats.
    public var roleName: String = "base"
    /// Software version announced in Hello.
    public var serverVersion: String = "0.0.0"
    /// Bytes of partial frames all connections together may hold (beyond it: `unavailable`, close).
    public var maxBufferedBytes: Int = 512 * 1024 * 1024
    /// Events the in-memory hub retains for replay.
    public var eventRetention: Int = 4096

    /// Creates a configuration with the defaults above.
    public init() {}
}
