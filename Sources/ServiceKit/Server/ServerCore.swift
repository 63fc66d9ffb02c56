import Logging
import Wire

/// Everything a connection handler shares with its server: settings, role, counters, hub, registry.
final class ServerCore: Sendable {
    let configuration: WireServerConfiguration
    let handler: any WireRequestHandler
    let statistics: WireServerStatistics
    let hub: WireEventHub
    let registry: ConnectionRegistry
    let logger: Logger
    let tokenCheck: TokenCheck?
    let bufferBudget: BufferBudget
    let gate = LoopGate()
    let helloLimits: (maxFrameLength: UInt32, maxInFlight: UInt32, maxRows: UInt32)

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
    }
}
