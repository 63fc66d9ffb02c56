import Logging
import Wire

/// Everything a connection handler shares with its server: settings, role, counters, hub, registry.
final class ServerCore: Sendable {
    /// Server settings.
    let configuration: WireServerConfiguration
    /// The role.
    let handler: any WireRequestHandler
    /// Counters for Stats and metrics.
    let statistics: WireServerStatistics
    /// Event fan-out and replay.
    let hub: WireEventHub
    /// Live connections (admission, drain).
    let registry: ConnectionRegistry
    /// Server logger.
    let logger: Logger
    /// Constant-time token check, when a token is configured.
    let tokenCheck: TokenCheck?
    /// Server-wide budget for partial frames.
    let bufferBudget: BufferBudget
    /// Guards scheduling onto the event loops after shutdown.
    let gate = LoopGate()
    /// Limits announced in Hello.
    let helloLimits: (maxFrameLength: UInt32, maxInFlight: UInt32, maxRows: UInt32)
    /// What each connection's state machine decides with (built once, copied per connection).
    let connectionSettings: WireConnectionSettings

    /// Creates the shared state of one server.
    init(configuration: WireServerConfiguration, handler: any WireRequestHandler, hub: WireEventHub, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.statistics = WireServerStatistics(role: configuration.roleName)
        self.hub = hub
        self.registry = ConnectionRegistry(maxConnections: configuration.maxConnections)
        self.logger = logger
        self.tokenCheck = configuration.token.map(TokenCheck.init(token:))
        self.bufferBudget = BufferBudget(limit: configuration.maxBufferedBytes)
        self.helloLimits = (
            UInt32(clamping: max(WireProtocol.maxFrameLengthBeforeHello, configuration.maxFrameLength)),
            UInt32(clamping: max(1, configuration.maxInFlight)),
            UInt32(clamping: max(1, configuration.maxRows))
        )
        self.connectionSettings = WireConnectionSettings(
            roleName: configuration.roleName, serverVersion: configuration.serverVersion,
            maxFrameLength: helloLimits.maxFrameLength, maxInFlight: configuration.maxInFlight,
            announcedMaxInFlight: helloLimits.maxInFlight, maxRows: helloLimits.maxRows,
            idleTimeout: configuration.idleTimeout, tokenCheck: tokenCheck,
            operation: { handler.operation(for: $0) })
    }
}
