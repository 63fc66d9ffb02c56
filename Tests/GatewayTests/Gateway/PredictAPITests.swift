import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing
import Wire

@testable import Gateway

/// `POST /api/v1/predict` and `GET /api/v1/model` against a real predictor.
@Suite("Gateway predict API")
struct PredictAPITests {
    static let json: HTTPFields = [.contentType: "application/json"]

    @Test("one row: probability equals the offline model's, factors are named and sorted")
    func oneRow() async throws {
        let expected = try GatewayTestData.offline([0])
        try await GatewayFixture.withGateway { client, _ in
            let body = GatewayTestData.json(["rows": [GatewayTestData.jsonRow(0)], "explain": 3])
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
            #expect(response.status == .ok)
            let object = response.object
            let model = try #require(object["model"] as? [String: Any])
            #expect(model["name"] as? String == "churn")
            #expect((model["version"] as? String)?.count == 12)
            let predictions = try #require(object["predictions"] as? [[String: Any]])
            #expect(predictions.count == 1)
            let probability = try #require(predictions[0]["probability"] as? Double)
            // Float → JSON → Double: equal to the Float the model computed.
            #expect(Float(probability) == expected[0])
            #expect(
                predictions[0]["label"] as? Int
                    == (Double(expected[0]) >= (model["threshold"] as? Double ?? 0.5) ? 1 : 0))
            let factors = try #require(predictions[0]["factors"] as? [[String: Any]])
            #expect(factors.count == 3)
            let sizes = factors.compactMap { ($0["contribution"] as? Double).map(abs) }
            #expect(sizes == sizes.sorted(by: >))
            let columns = Set(GatewayTestData.lines.header)
            #expect(factors.allSatisfy { columns.contains($0["column"] as? String ?? "") })
        }
    }

    @Test("many rows: one prediction per row, in order, each equal to the offline model's")
    func manyRows() async throws {
        let indices = Array(0..<40)
        let expected = try GatewayTestData.offline(indices)
        try await GatewayFixture.withGateway { client, _ in
            let body = GatewayTestData.json(["rows": indices.map(GatewayTestData.jsonRow)])
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
            #expect(response.status == .ok)
            let predictions = try #require(response.object["predictions"] as? [[String: Any]])
            let got = predictions.compactMap { ($0["probability"] as? Double).map(Float.init) }
            #expect(got == expected)
            #expect(predictions.allSatisfy { ($0["factors"] as? [Any])?.isEmpty == true })
        }
    }

    @Test("a null value is imputed like a missing value offline")
    func nullValue() async throws {
        let expected = try GatewayTestData.offline([3], changing: ["Balance": ""])
        try await GatewayFixture.withGateway { client, _ in
            var row = GatewayTestData.jsonRow(3)
            row["Balance"] = NSNull()
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json, body: GatewayTestData.json(["rows": [row]]))
            #expect(response.status == .ok)
            let predictions = try #require(response.object["predictions"] as? [[String: Any]])
            #expect((predictions.first?["probability"] as? Double).map(Float.init) == expected[0])
        }
    }

    @Test(
        "bad bodies are 400 naming the field",
        arguments: [
            ("not json", "body"),
            ("[1,2]", "body"),
            ("{}", "rows"),
            ("{\"rows\":[]}", "rows"),
            ("{\"rows\":{}}", "rows"),
            ("{\"rows\":[3]}", "rows[0]"),
            ("{\"rows\":[{}],\"explain\":-1}", "explain"),
            ("{\"rows\":[{}],\"explain\":2.5}", "explain"),
            ("{\"rows\":[{}],\"unseen\":\"maybe\"}", "unseen"),
            ("{\"rows\":[{}],\"explian\":3}", "explian"),
        ])
    func badBodies(body: String, field: String) async throws {
        try await GatewayFixture.withGateway { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "invalid_input")
            #expect(response.errorFields.contains(field), "\(response.text)")
        }
    }

    @Test("a body with the same key twice is 400 naming the key and its byte offset")
    func duplicateKeys() async throws {
        try await GatewayFixture.withGateway { client, _ in
            for body in [#"{"rows":[{"Age":42,"Age":43}]}"#, #"{"rows":[{}],"explain":1,"explain":2}"#] {
                let response = try await client.execute(
                    uri: "/api/v1/predict", method: .post, headers: Self.json, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "invalid_input")
                #expect(response.errorFields.contains("body"), "\(response.text)")
                let key = body.contains("Age") ? "Age" : "explain"
                #expect(response.text.contains(#"duplicate key \"\#(key)\""#), "\(response.text)")
                #expect(response.text.contains("at byte"), "\(response.text)")
            }
        }
    }

    @Test("a wrongly typed or missing value is 400 naming row and column; nothing reaches the predictor")
    func badValues() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            var first = GatewayTestData.jsonRow(0)
            first["Age"] = "forty"
            var second = GatewayTestData.jsonRow(1)
            second["Geography"] = 7.5
            second.removeValue(forKey: "CreditScore")
            var third = GatewayTestData.jsonRow(2)
            third["Gender"] = ["Female"]
            let wire = try await WireClient.connect(host: "127.0.0.1", port: fixture.predictor.port)
            let before = try await wire.send(StatsRequest())
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json,
                body: GatewayTestData.json(["rows": [first, second, third]]))
            #expect(response.status == .badRequest)
            #expect(Set(response.errorFields) == ["rows[0].Age", "rows[1].CreditScore", "rows[2].Gender"])
            let fields = ((response.object["error"] as? [String: Any])?["fields"] as? [[String: Any]]) ?? []
            let age = fields.first { $0["field"] as? String == "rows[0].Age" }
            #expect(age?["row"] as? Int == 0)
            #expect(age?["column"] as? String == "Age")
            #expect((age?["message"] as? String)?.contains("expected a number") == true)
            let after = try await wire.send(StatsRequest())
            let predicts = { (stats: StatsResponse) in
                stats.requestsByOpcode.first { $0.opcode == Opcode.predict }?.count ?? 0
            }
            #expect(predicts(after) == predicts(before))
            await wire.close()
        }
    }

    @Test("an unseen category: a warning under zeros, 400 naming the row under error")
    func unseenCategory() async throws {
        try await GatewayFixture.withGateway { client, _ in
            var row = GatewayTestData.jsonRow(0)
            row["Geography"] = "Atlantis"
            let zeros = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json,
                body: GatewayTestData.json(["rows": [GatewayTestData.jsonRow(1), row], "unseen": "zeros"]))
            #expect(zeros.status == .ok)
            let warnings = try #require(zeros.object["warnings"] as? [[String: Any]])
            #expect(warnings.count == 1)
            #expect(warnings.first?["row"] as? Int == 1)
            #expect(warnings.first?["value"] as? String == "Atlantis")
            let strict = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json,
                body: GatewayTestData.json(["rows": [GatewayTestData.jsonRow(1), row], "unseen": "error"]))
            #expect(strict.status == .badRequest)
            #expect(strict.errorFields == ["rows[1].Geography"])
        }
    }

    @Test("more rows than allowed is 400; a body over the limit is 413")
    func limits() async throws {
        let limits: (inout GatewayConfiguration) -> Void = {
            $0.maxRows = 5
            $0.maxBodyBytes = 4096
        }
        try await GatewayFixture.withGateway(configure: limits) { client, _ in
            let rows = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json,
                body: GatewayTestData.json(["rows": (0..<6).map(GatewayTestData.jsonRow)]))
            #expect(rows.status == .badRequest)
            #expect(rows.errorFields == ["rows"])
            let big = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json,
                body: ByteBuffer(string: "{\"rows\":[{\"x\":\"" + String(repeating: "a", count: 5000) + "\"}]}"))
            #expect(big.status == .contentTooLarge)
        }
    }

    @Test("a predictor without a model is 503 no_model; an unreachable one is 503 predictor_unreachable")
    func unavailable() async throws {
        let body = GatewayTestData.json(["rows": [GatewayTestData.jsonRow(0)]])
        try await GatewayFixture.withGateway(servePredictorModel: false) { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "no_model")
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .serviceUnavailable)
        }
        // A port held by a socket that never listens: connections to it are refused.
        let closed = try #require(ClosedPort())
        try await GatewayFixture.withGateway(predictorAddress: ListenAddress(host: "127.0.0.1", port: closed.port)) {
            client, _ in
            let response = try await client.execute(
                uri: "/api/v1/predict", method: .post, headers: Self.json, body: body)
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "predictor_unreachable")
            let model = try await client.execute(uri: "/api/v1/model", method: .get)
            #expect(model.status == .serviceUnavailable)
        }
        withExtendedLifetime(closed) {}  // the port stays refused until here
    }

    @Test("GET /api/v1/model describes the served model's columns")
    func modelDescription() async throws {
        let bundle = try GatewayTestData.bundle.get()
        let expected = bundle.schema.columns.filter { $0.role != .id && $0.role != .target }.map(\.name)
        try await GatewayFixture.withGateway { client, _ in
            let response = try await client.execute(uri: "/api/v1/model", method: .get)
            #expect(response.status == .ok)
            let fields = try #require(response.object["fields"] as? [[String: Any]])
            #expect(Set(fields.compactMap { $0["name"] as? String }) == Set(expected))
            let geography = fields.first { $0["name"] as? String == "Geography" }
            #expect(geography?["type"] as? String == "text")
            #expect((geography?["categories"] as? [String])?.sorted() == ["France", "Germany", "Spain"])
            let age = fields.first { $0["name"] as? String == "Age" }
            #expect(age?["type"] as? String == "number")
            #expect((age?["minimum"] as? Double).map { $0 >= 18 } == true)
        }
    }
}
