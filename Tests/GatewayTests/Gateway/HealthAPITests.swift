import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import ServiceKit
import Testing
@testable import Gateway

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
        let closed = try await RunningRole.start(role: "base", handler: NoRoleHandler())
        await closed.stop()
        try await GatewayFixture.withGateway(predictorAddress: closed.address) { client, _ in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.object["status"] as? String == "degraded")
            let roles = try #require(health.object["roles"] as? [String: [String: Any]])
            #expect(roles["predictor"]?["status"] as? String == "unreachable")
            #expect(roles["registry"]?["status"] as? String == "serving")
        }
    }

    @Test("metrics serves the Prometheus text of the registry it was given")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "gateway_test_marker", unitName: "total", helpText: "test marker"))
        counter.increment(by: Int64(3))
        try await GatewayFixture.withGateway(metrics: registry) { client, _ in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(response.text.contains("gateway_test_marker_total 3"))
        }
    }
}
