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
/// let app = gateway.application { port in print("listening on \(port)") }
/// try await ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm], logger: logger)).run()
/// await gateway.shutdown()
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
        self.predictions = PredictionService(backends: backends, schemaCache: ModelInfoCache(ttl: configuration.schemaTTL))
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
                address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: "churn-gateway"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Closes the connections to the roles (after the application stopped).
    public func shutdown() async {
        await backends.close()
    }
}
