import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The gateway role: HTML pages for people and a JSON API for programs over HTTP (Hummingbird),
/// calling the predictor, registry and trainer over the wire protocol only.
///
/// ```swift
/// let gateway = Gateway(configuration: configuration, metrics: registry, logger: logger)
/// let services = gateway.services { port in print("listening on \(port)") }
/// try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm], logger: logger)).run()
/// ```
public final class Gateway: Sendable {
    /// Settings.
    public let configuration: GatewayConfiguration
    /// The roles.
    let backends: GatewayBackends
    /// Checking and scoring rows.
    let predictions: PredictionService
    /// Evaluations read from bundles.
    let evaluations: EvaluationCache
    /// Who may write.
    let tokens: TokenGuard
    /// Scored batches kept for download.
    let batches: BatchStore
    /// The Prometheus registry served at `/metrics`.
    let metrics: PrometheusCollectorRegistry?
    /// The gateway's logger.
    let logger: Logger

    /// Creates the gateway; connections to the roles open on first use.
    public init(configuration: GatewayConfiguration, metrics: PrometheusCollectorRegistry? = nil, logger: Logger) {
        self.configuration = configuration
        self.backends = GatewayBackends(configuration: configuration)
        self.predictions = PredictionService(
            backends: backends, schemaCache: ModelInfoCache(ttl: configuration.schemaTTL))
        self.evaluations = EvaluationCache()
        self.tokens = TokenGuard(token: configuration.token)
        self.batches = BatchStore()
        self.metrics = metrics
        self.logger = logger
    }

    /// The HTTP application (a `Service`): binds `configuration.listen` when run and calls
    /// `onListening` with the bound port.
    public func application(
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.listen.host, port: configuration.listen.port),
                serverName: "churn-gateway"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// The gateway as services for one `ServiceGroup`: the connections to the roles, then the HTTP
    /// application (which calls `onListening` with the bound port). A group shuts its services down
    /// in reverse order, so the application stops taking requests before the connections close.
    public func services(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> [any Service] {
        [GatewayBackendsService(backends: backends), application(onListening: onListening)]
    }

    /// Closes the connections to the roles; for a gateway run by ``application(onListening:)``
    /// alone, after it stopped (``services(onListening:)`` does this itself).
    public func shutdown() async {
        await backends.close()
    }
}

/// Holds the gateway's connections to the roles open until graceful shutdown, then closes them.
private struct GatewayBackendsService: Service {
    let backends: GatewayBackends

    func run() async throws {
        // Ends on graceful shutdown, or with a CancellationError when the group is cancelled:
        // the connections close either way.
        try? await gracefulShutdown()
        await backends.close()
    }
}
