import Foundation
import Logging
import Metrics
import Prometheus
import ServiceKit
import ServiceLifecycle

/// Runs one role's ``WireServer`` (plus the optional metrics endpoint) in a `ServiceGroup` that
/// shuts down gracefully on SIGTERM/SIGINT. Bootstraps logging and metrics (only `@main` code may).
enum ServeRunner {
    /// Bootstraps logging and metrics, then runs the role until SIGTERM/SIGINT. `prepare` sees the
    /// server before it runs; `starting` runs after it (logging is up) and before the server binds.
    static func run(
        options: ServeOptions, role: String, handler: any WireRequestHandler,
        extraServices: [any Service] = [], defaultListen: String = "127.0.0.1:7409",
        prepare: (WireServer) throws -> Void = { _ in }, starting: () async throws -> Void = {}
    ) async throws {
        let level = try options.level()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "churn.\(role)")

        let configuration = try options.configuration(
            role: role, version: ChurnVersionText.current, defaultListen: defaultListen)
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try prepare(server)
        try await starting()
        var services: [any Service] = [server]
        var endpoint: PrometheusEndpoint?
        if let address = try options.metricsAddress() {
            let metrics = PrometheusEndpoint(address: address, registry: registry, logger: logger)
            services.append(metrics)
            endpoint = metrics
        }
        services.append(contentsOf: extraServices)
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let announce = Task {
            if let address = try? await server.listeningAddress {
                say("churn serve \(role) listening on \(configuration.host):\(address.port ?? configuration.port)")
            }
            if let endpoint, let address = try? await endpoint.listeningAddress {
                say("metrics on http://\(address.ipAddress ?? "?"):\(address.port ?? 0)/metrics")
            }
        }
        defer { announce.cancel() }
        try await group.run()
    }

    /// Writes one line to standard output immediately (unbuffered, so a parent process sees it).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
