import Foundation
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceKit
import ServiceLifecycle
import Synchronization

/// Runs roles' servers in one `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT, and
/// bootstraps logging and metrics (only `@main` code may) exactly once per process.
enum ServeRunner {
    /// The metrics registry, once bootstrapped.
    private static let metricsRegistry = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps logging (to standard error at `level`), Prometheus metrics and, when given, the
    /// number of the process's event-loop threads (`eventLoops`: NIO's singleton group, which every
    /// server and client of the process shares) on the first call; later calls return the same
    /// metrics registry. Call it first, before making loggers (so they log through the bootstrapped
    /// handler) and before anything uses the event loops (NIO reads the thread count once).
    @discardableResult
    static func bootstrap(level: Logger.Level, eventLoops: Int? = nil) -> PrometheusCollectorRegistry {
        metricsRegistry.withLock { existing in
            if let existing { return existing }
            if let eventLoops { NIOSingletons.groupLoopCountSuggestion = max(1, eventLoops) }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            existing = registry
            return registry
        }
    }

    /// ``bootstrap(level:eventLoops:)`` with a serve command's `--log-level` and `--event-loops`.
    @discardableResult
    static func bootstrap(_ options: ServeOptions) throws -> PrometheusCollectorRegistry {
        bootstrap(level: try options.level(), eventLoops: options.eventLoops)
    }

    /// Runs one role until SIGTERM/SIGINT: its ``WireServer`` (configured from `options`), the
    /// optional metrics endpoint and `extraServices`; `outlivingServices` stop after the server
    /// (a `ServiceGroup` stops in reverse order). `prepare` sees the server before it runs;
    /// `starting` runs after logging is up and before the server binds.
    static func run(
        options: ServeOptions, role: String, handler: any WireRequestHandler,
        extraServices: [any Service] = [], outlivingServices: [any Service] = [],
        defaultListen: String = "127.0.0.1:7409",
        prepare: (WireServer) async throws -> Void = { _ in }, starting: () async throws -> Void = {}
    ) async throws {
        let metrics = try bootstrap(options)
        let logger = Logger(label: "churn.\(role)")
        let configuration = try options.configuration(
            role: role, version: ChurnVersionText.current, defaultListen: defaultListen)
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try await prepare(server)
        try await starting()
        var services: [any Service] = outlivingServices + [server]
        var endpoint: PrometheusEndpoint?
        if let address = try options.metricsAddress() {
            let exporter = PrometheusEndpoint(address: address, registry: metrics, logger: logger)
            services.append(exporter)
            endpoint = exporter
        }
        services.append(contentsOf: extraServices)
        let announce = Task {
            await announceListening(role: role, server: server)
            if let endpoint, let address = try? await endpoint.listeningAddress {
                say("metrics on http://\(address.ipAddress ?? "?"):\(address.port ?? 0)/metrics")
            }
        }
        defer { announce.cancel() }
        try await runGroup(services, logger: logger)
    }

    /// Runs `services` in one group until SIGTERM/SIGINT (then shuts them down gracefully).
    static func runGroup(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Prints `churn serve ROLE listening on HOST:PORT` once `server` is bound.
    static func announceListening(role: String, server: WireServer) async {
        if let address = try? await server.listeningAddress {
            say(
                "churn serve \(role) listening on \(server.configuration.host):\(address.port ?? server.configuration.port)"
            )
        }
    }

    /// Writes one line to standard output immediately (unbuffered, so a parent process sees it).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
