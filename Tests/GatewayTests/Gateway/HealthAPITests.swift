import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import ServiceKit
import ServiceLifecycle
import Testing
import Wire

@testable import Gateway

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `/healthz`, `/readyz` and `/metrics`.
@Suite("Gateway health and metrics")
struct HealthAPITests {
    @Test("healthz reports every role serving; readyz is 200")
    func healthy() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.object["status"] as? String == "ok")
            let roles = try #require(health.object["roles"] as? [String: [String: Any]])
            #expect(roles["predictor"]?["status"] as? String == "serving")
            #expect(roles["registry"]?["status"] as? String == "serving")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
        }
    }

    @Test("healthz says which role is unreachable but stays 200")
    func degraded() async throws {
        let closed = try #require(ClosedPort())
        try await GatewayFixture.withGateway(predictorAddress: ListenAddress(host: "127.0.0.1", port: closed.port)) {
            client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.object["status"] as? String == "degraded")
            let roles = try #require(health.object["roles"] as? [String: [String: Any]])
            #expect(roles["predictor"]?["status"] as? String == "unreachable")
            #expect(roles["registry"]?["status"] as? String == "serving")
        }
        withExtendedLifetime(closed) {}  // the port stays refused until here
    }

    @Test("a graceful shutdown cancels health probes of roles that never answer instead of waiting them out")
    func shutdownCancelsProbes() async throws {
        let silent = try await SilentPeer.start()
        let address = RoleEndpoints(ListenAddress(host: "127.0.0.1", port: silent.port))
        var logger = Logger(label: "gateway-test")
        logger.logLevel = .critical
        var configuration = GatewayConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), predictor: address, registry: address)
        // Hellos that would time out only after 2 minutes: the probes can end sooner only by being
        // cancelled, however slowly a loaded machine runs this test.
        configuration.connectTimeout = .seconds(120)
        let gateway = Gateway(configuration: configuration, logger: logger)
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let group = ServiceGroup(
            configuration: .init(services: gateway.services { listening.yield($0) }, logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        let url = try #require(URL(string: "http://127.0.0.1:\(port)/healthz"))
        let probe = Task { try await URLSession.shared.data(from: url) }
        // Both probes are connected and waiting for Hello answers that never come.
        for _ in 0..<500 where silent.acceptedCount < 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(silent.acceptedCount == 2)

        let shutdown = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        // Each probe would otherwise have waited out its 120 s Hello timeout; the details below say
        // they were cancelled. (Unloaded this takes about 30 ms; the bound leaves room for a starved
        // 2-core machine, where the shutdown's own steps have taken 15 s.)
        let took = ContinuousClock.now - shutdown
        #expect(took < .seconds(60), "the gateway took \(took) to stop")
        // The request got its answer before the gateway closed: both roles named, not asked.
        let (data, _) = try await probe.value
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let roles = try #require(body["roles"] as? [String: [String: Any]])
        #expect(roles["predictor"]?["status"] as? String == "unreachable")
        #expect(roles["predictor"]?["detail"] as? String == "not asked: the gateway is shutting down")
        #expect(roles["registry"]?["status"] as? String == "unreachable")
        #expect(roles["registry"]?["detail"] as? String == "not asked: the gateway is shutting down")
        await silent.stop()
    }

    @Test("metrics serves the Prometheus text of the registry it was given")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "gateway_test_marker", unitName: "total", helpText: "test marker"))
        counter.increment(by: Int64(3))
        try await GatewayFixture.withGateway(metrics: registry) { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(response.text.contains("gateway_test_marker_total 3"))
        }
    }
}
