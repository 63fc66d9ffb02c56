import ChurnML
import Foundation
import Testing
import Wire

@testable import Registry

/// The whole registry lifecycle through a real server and `RegistryClient`.
@Suite("Registry service lifecycle")
struct RegistryLifecycleTests {
    @Test("push, publish, show, search, aliases, delete, gc over the wire")
    func lifecycle() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = try await RunningRegistry.start(directory: directory.path)
        let client = try await registry.client()

        // Dataset: push, list, show by prefix, fetch byte-identical.
        let csv = RegistryFixtures.datasetCSV(seed: 5, rows: 300)
        let pushed = try await client.pushDataset(bytes: csv, name: "bank", description: "synthetic")
        #expect(pushed.sha256 == SHA256Digest.hex(of: csv))
        #expect(pushed.rows == 300)
        #expect(try await client.datasets().map(\.sha256) == [pushed.sha256])
        let shown = try await client.dataset("bank@" + String(pushed.sha256.prefix(12)))
        #expect(shown == pushed)
        let fetched = try await client.fetchDataset("bank")
        #expect(fetched.bytes == csv)

        // Two versions: 1 with roc_auc 0.80, 2 with 0.90 and alias production.
        let first = try await client.publishModel(
            bundle: try RegistryFixtures.bundle(rocAUC: 0.80, accuracy: 0.7), name: "churn", tags: ["team": "a"])
        let second = try await client.publishModel(
            bundle: try RegistryFixtures.bundle(rocAUC: 0.90, accuracy: 0.8), name: "churn", alias: "production")
        #expect(first.version == 1)
        #expect(second.version == 2)
        #expect(second.aliases == ["production"])
        #expect(try await client.model("churn@1").version.tags == ["team": "a"])
        #expect(try await client.model("churn@production").version.version == 2)
        #expect(try await client.model("churn").version.version == 2)

        // Search with a metric filter: only version 2 has roc_auc ≥ 0.85, and carries its alias.
        let hits = try await client.search("name = \"churn\" and metrics.roc_auc >= 0.85")
        #expect(hits.map(\.version) == [2])
        #expect(hits.first?.aliases == ["production"])

        // Alias set, move, history (created → moved).
        _ = try await client.call(AliasSetRequest(name: "churn", alias: "staging", version: 1))
        let moved = try await client.call(AliasSetRequest(name: "churn", alias: "staging", version: 2))
        #expect(moved.fromVersion == 1 && moved.toVersion == 2)
        let history = try await client.call(AliasHistoryRequest(name: "churn", alias: "staging")).items
        #expect(history.map(\.toVersion) == [1, 2])
        #expect(history.first?.who == "test")  // the client name from Hello when no who is given

        // Deployments show up in `show`.
        _ = try await client.call(DeploymentReportRequest(instance: "predictor-1", name: "churn", version: 2))
        #expect(try await client.model("churn@2").deployments.map(\.instance) == ["predictor-1"])

        // Delete refused while aliased, allowed once the aliases are gone.
        _ = try await client.call(AliasSetRequest(name: "churn", alias: "staging", version: 2))
        _ = try await client.call(AliasSetRequest(name: "churn", alias: "old", version: 1))
        await #expect(throws: WireClientError.self) {
            _ = try await client.call(ModelDeleteRequest(name: "churn", version: 1))
        }
        do {
            _ = try await client.call(ModelDeleteRequest(name: "churn", version: 1))
        } catch {
            #expect(serverCode(error) == .conflict)
            #expect(serverMessage(error).contains("old"))
        }
        _ = try await client.call(AliasRemoveRequest(name: "churn", alias: "old"))
        let deleted = try await client.call(ModelDeleteRequest(name: "churn", version: 1))
        #expect(deleted.bundleSHA256 == first.bundleSHA256)
        do {
            _ = try await client.model("churn@1")
            Issue.record("deleted version still visible")
        } catch {
            #expect(serverCode(error) == .notFound)
        }
        let listing = try await client.call(ModelListRequest()).models ?? []
        #expect(listing.map(\.name) == ["churn"])
        #expect(listing.first?.versionCount == 1)

        // GC: the deleted bundle is unreferenced; a dry run reports it, a real run removes it.
        let dry = try await client.call(GCRequest(dryRun: true))
        #expect(dry.unreferenced == [first.bundleSHA256])
        let real = try await client.call(GCRequest(dryRun: false))
        #expect(real.unreferenced == [first.bundleSHA256])
        #expect(try await client.call(GCRequest(dryRun: true)).unreferenced.isEmpty)

        // Bad input gets a clear error with the field.
        do {
            _ = try await client.search("metrics.roc_auc >=")
            Issue.record("bad query accepted")
        } catch {
            #expect(serverCode(error) == .invalidRequest)
        }
        do {
            _ = try await client.call(AliasSetRequest(name: "churn", alias: "bad/alias", version: 2))
            Issue.record("bad alias accepted")
        } catch {
            #expect(serverCode(error) == .invalidRequest)
            if case .server(_, _, let field) = error as? WireClientError { #expect(field == "alias") }
        }
        await client.close()
        try await registry.stop()
    }
}
