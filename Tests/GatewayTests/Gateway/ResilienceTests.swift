import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Wire

@testable import Gateway

/// The gateway under a restarting predictor and under many concurrent requests.
@Suite("Gateway resilience")
struct ResilienceTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test("a restarted predictor is reached again: 200, then 503 while it is down, then 200")
    func predictorRestart() async throws {
        let body = GatewayTestData.json(["rows": [GatewayTestData.jsonRow(0)]])
        try await GatewayFixture.withGateway { client, fixture in
            let first = try await client.execute(uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
            #expect(first.status == .ok)
            let port = fixture.predictor.port
            await fixture.predictor.stop()
            let down = try await client.execute(uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
            #expect(down.status == .serviceUnavailable)
            #expect(down.errorCode == "predictor_unreachable")
            let again = try await fixture.restartPredictor(port: port)
            var status = HTTPResponse.Status.serviceUnavailable
            // Every one of the gateway's four connections to the old process must be replaced.
            for _ in 0..<8 {
                status = try await client.execute(uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
                    .status
                #expect(status == .ok)
            }
            await again.stop()
        }
    }

    @Test("600 concurrent predictions all succeed, each with its own row's probability")
    func concurrency() async throws {
        let expected = try GatewayTestData.offline(Array(0..<20))
        try await GatewayFixture.withGateway { client, _ in
            let results = try await withThrowingTaskGroup(of: (Int, HTTPResponse.Status, Float?).self) { group in
                for request in 0..<600 {
                    group.addTask {
                        let row = request % 20
                        let response = try await client.execute(
                            uri: "/api/v1/predict", method: .post, headers: Self.json,
                            body: GatewayTestData.json(["rows": [GatewayTestData.jsonRow(row)]]))
                        let probability =
                            (response.object["predictions"] as? [[String: Any]])?.first?["probability"] as? Double
                        return (row, response.status, probability.map(Float.init))
                    }
                }
                var all: [(Int, HTTPResponse.Status, Float?)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 600)
            let statuses = Dictionary(grouping: results.map(\.1.code), by: { $0 }).mapValues(\.count)
            #expect(results.allSatisfy { $0.1 == .ok }, "statuses: \(statuses)")
            #expect(results.allSatisfy { $0.2 == expected[$0.0] })
        }
    }
}
