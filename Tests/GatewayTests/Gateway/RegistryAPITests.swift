import ChurnML
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Wire

@testable import Gateway

/// The registry routes of the JSON API against a real registry: models, search, versions, show,
/// evaluation, alias set (token), datasets.
@Suite("Gateway registry API")
struct RegistryAPITests {
    @Test("GET /api/v1/models lists the published name with its aliases")
    func models() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let response = try await client.execute(uri: "/api/v1/models", method: .get)
            #expect(response.status == .ok)
            let models = try #require(response.object["models"] as? [[String: Any]])
            #expect(models.count == 1)
            #expect(models.first?["name"] as? String == "churn")
            #expect((models.first?["aliases"] as? [String: Int])?["production"] == 1)
        }
    }

    @Test("search: matching versions; no query or a bad query is 400")
    func search() async throws {
        try await GatewayFixture.withGateway { client, _ in
            let hit = try await client.execute(uri: "/api/v1/models/search?q=name%20%3D%20%22churn%22", method: .get)
            #expect(hit.status == .ok)
            #expect((hit.object["items"] as? [[String: Any]])?.compactMap { $0["version"] as? Int } == [1])
            let miss = try await client.execute(uri: "/api/v1/models/search?q=name%20%3D%20%22other%22", method: .get)
            #expect((miss.object["items"] as? [Any])?.isEmpty == true)
            let none = try await client.execute(uri: "/api/v1/models/search", method: .get)
            #expect(none.status == .badRequest)
            #expect(none.errorFields == ["q"])
            let bad = try await client.execute(uri: "/api/v1/models/search?q=%3D%3D%3D", method: .get)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("versions and show: the version's record and metrics; unknown names and versions are 404")
    func versionsAndShow() async throws {
        let bundle = try GatewayTestData.bundle.get()
        try await GatewayFixture.withGateway { client, fixture in
            let versions = try await client.execute(uri: "/api/v1/models/churn", method: .get)
            #expect(versions.status == .ok)
            #expect((versions.object["versions"] as? [[String: Any]])?.count == 1)
            let show = try await client.execute(uri: "/api/v1/models/churn/1", method: .get)
            #expect(show.status == .ok)
            let version = try #require(show.object["version"] as? [String: Any])
            #expect(version["bundle_sha256"] as? String == BlobDigest(hashing: fixture.bundleBytes).hex)
            #expect((version["metrics"] as? [String: Double])?["accuracy"] == bundle.metrics?.accuracy)
            let byAlias = try await client.execute(uri: "/api/v1/models/churn/production", method: .get)
            #expect((byAlias.object["version"] as? [String: Any])?["version"] as? Int == 1)
            for uri in ["/api/v1/models/nobody", "/api/v1/models/churn/99", "/api/v1/models/nobody/1/evaluation"] {
                let missing = try await client.execute(uri: uri, method: .get)
                #expect(missing.status == .notFound, "\(uri)")
                #expect(missing.errorCode == "not_found", "\(uri)")
            }
        }
    }

    @Test("evaluation: the bundle's confusion matrix and curves; calibration rows add up to the held-out rows")
    func evaluation() async throws {
        let bundle = try GatewayTestData.bundle.get()
        let matrix = try #require(bundle.metrics?.confusionMatrix)
        let curves = try #require(bundle.curves)
        try await GatewayFixture.withGateway { client, _ in
            let response = try await client.execute(uri: "/api/v1/models/churn/1/evaluation", method: .get)
            #expect(response.status == .ok)
            let evaluation = try #require(response.object["evaluation"] as? [String: Any])
            let confusion = try #require(evaluation["confusion_matrix"] as? [String: Int])
            #expect(confusion == ["tp": matrix.tp, "fp": matrix.fp, "tn": matrix.tn, "fn": matrix.fn])
            let roc = try #require(evaluation["roc"] as? [[String: Double]])
            #expect(roc.count == curves.roc.count)
            #expect(roc.last?["x"] == curves.roc.last?.x)
            #expect((evaluation["precision_recall"] as? [Any])?.count == curves.precisionRecall.count)
            #expect((evaluation["loss_history"] as? [Double])?.count == bundle.lineage.lossHistory.count)
            let bins = try #require(evaluation["calibration"] as? [[String: Any]])
            let rows = bins.compactMap { $0["rows"] as? Int }.reduce(0, +)
            // Each bin's count is rounded separately: the total is within one row per bin of the held-out rows.
            #expect(abs(rows - (matrix.tp + matrix.fp + matrix.tn + matrix.fn)) <= bins.count)
        }
    }

    @Test("alias set: 401 without the token, 403 with a wrong one, moved with the right one")
    func aliasSet() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            let body = ByteBuffer(string: "{\"version\":1}")
            let none = try await client.execute(uri: "/api/v1/models/churn/aliases/staging", method: .put, body: body)
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthorized")
            let wrong = try await client.execute(
                uri: "/api/v1/models/churn/aliases/staging", method: .put, headers: [.authorization: "Bearer nope"],
                body: body)
            #expect(wrong.status == .forbidden)
            let registry = try await fixture.registryClient()
            #expect(try await registry.model("churn@1").version.aliases == ["production"])
            let right = try await client.execute(
                uri: "/api/v1/models/churn/aliases/staging", method: .put,
                headers: [.authorization: "Bearer \(GatewayFixture.token)"], body: body)
            #expect(right.status == .ok)
            #expect(right.object["to"] as? Int == 1)
            #expect(try await registry.model("churn@1").version.aliases == ["production", "staging"])
            let badBody = try await client.execute(
                uri: "/api/v1/models/churn/aliases/staging", method: .put,
                headers: [.authorization: "Bearer \(GatewayFixture.token)"],
                body: ByteBuffer(string: "{\"version\":\"one\"}"))
            #expect(badBody.status == .badRequest)
            #expect(badBody.errorFields == ["version"])
            let missing = try await client.execute(
                uri: "/api/v1/models/churn/aliases/staging", method: .put,
                headers: [.authorization: "Bearer \(GatewayFixture.token)"],
                body: ByteBuffer(string: "{\"version\":42}"))
            #expect(missing.status == .notFound)
            await registry.close()
        }
    }

    @Test("datasets: list and show a pushed dataset; an unknown one is 404")
    func datasets() async throws {
        try await GatewayFixture.withGateway { client, fixture in
            let registry = try await fixture.registryClient()
            let csv = Array("CreditScore,Age,Exited\r\n600,40,0\r\n700,50,1\r\n650,30,0\r\n".utf8)
            let record = try await registry.pushDataset(bytes: csv, name: "tiny")
            await registry.close()
            let list = try await client.execute(uri: "/api/v1/datasets", method: .get)
            #expect(list.status == .ok)
            #expect((list.object["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["tiny"])
            let show = try await client.execute(uri: "/api/v1/datasets/tiny", method: .get)
            #expect(show.status == .ok)
            #expect(show.object["sha256"] as? String == record.sha256)
            #expect(show.object["rows"] as? Int == 3)
            let missing = try await client.execute(uri: "/api/v1/datasets/none", method: .get)
            #expect(missing.status == .notFound)
        }
    }
}
