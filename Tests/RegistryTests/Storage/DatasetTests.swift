import ChurnML
import Foundation
import Testing

@testable import Registry

@Suite("Registry store: datasets")
struct DatasetTests {
    @Test(
        "push describes the CSV: rows, columns, inferred schema, digest; show and fetch by name and prefix",
        arguments: StoreKind.all)
    func pushShowFetch(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let csv = RegistryFixtures.datasetCSV(seed: 3, rows: 300)
        let record = try await store.pushDataset(name: "customers", bytes: csv, description: "synthetic")
        #expect(record.sha256 == SHA256Digest.hex(of: csv))
        #expect(record.size == Int64(csv.count))
        #expect(record.rows == 300)
        #expect(record.columns == SyntheticBankData.header)
        let schemaJSON = try #require(record.schema)
        let schema = try JSONDecoder().decode(Schema.self, from: Data(schemaJSON.utf8))
        #expect(schema.target == "Exited")
        #expect(schema.role(of: "CustomerId") == .id)
        #expect(try await store.dataset("customers") == record)
        #expect(try await store.dataset("customers@" + record.sha256.prefix(6).uppercased()) == record)
        let (fetched, bytes) = try await store.fetchDataset("customers@" + record.sha256)
        #expect(fetched == record && bytes == csv)
        await #expect(throws: RegistryError.notFound(kind: "dataset", reference: "missing")) {
            try await store.dataset("missing")
        }
        await #expect(throws: RegistryError.invalidDigest("ab")) { try await store.dataset("customers@ab") }
    }

    @Test("the latest push wins for a bare name; re-pushing the same bytes is idempotent", arguments: StoreKind.all)
    func latestAndIdempotent(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let first = try await store.pushDataset(name: "customers", bytes: RegistryFixtures.datasetCSV(seed: 3))
        let second = try await store.pushDataset(name: "customers", bytes: RegistryFixtures.datasetCSV(seed: 4))
        #expect(try await store.dataset("customers") == second)
        #expect(try await store.pushDataset(name: "customers", bytes: RegistryFixtures.datasetCSV(seed: 3)) == first)
        #expect(try await store.datasets(name: "customers") == [second, first])
        #expect(try await store.events(after: 0).count == 2)
        // The same bytes under another name is another dataset sharing one blob.
        try await store.pushDataset(name: "copy", bytes: RegistryFixtures.datasetCSV(seed: 3))
        #expect(try await store.datasets().map(\.name) == ["copy", "customers", "customers"])
        #expect(try await store.blobDigests().count == 2)
    }

    @Test("an ambiguous digest prefix is an error listing the candidates", arguments: StoreKind.all)
    func ambiguousPrefix(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        // Find two tiny CSV files whose digests share their first 4 hex characters (a birthday
        // search: about 300 tries expected among 65,536 prefixes).
        var seen: [String: [UInt8]] = [:]
        var pair: ([UInt8], [UInt8])?
        for index in 0..<100_000 where pair == nil {
            let csv = Array("id,Exited\n\(index),0\n\(index + 1),1\n".utf8)
            let prefix = String(SHA256Digest.hex(of: csv).prefix(4))
            if let other = seen[prefix] { pair = (other, csv) } else { seen[prefix] = csv }
        }
        let (first, second) = try #require(pair)
        let a = try await store.pushDataset(name: "tiny", bytes: first)
        let b = try await store.pushDataset(name: "tiny", bytes: second)
        let prefix = String(a.sha256.prefix(4))
        do {
            _ = try await store.dataset("tiny@" + prefix)
            Issue.record("an ambiguous prefix was accepted")
        } catch let error as RegistryError {
            #expect(error == .ambiguous(reference: "tiny@" + prefix, candidates: [b.reference, a.reference]))
        }
        #expect(try await store.dataset("tiny@" + a.sha256.prefix(12)) == a)
    }

    @Test(
        "unreadable CSV is refused with a located message; a table without a target is kept without a schema",
        arguments: StoreKind.all)
    func badData(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let ragged = Array("a,b\n1,2\n3\n".utf8)
        do {
            _ = try await store.pushDataset(name: "ragged", bytes: ragged)
            Issue.record("a ragged CSV was accepted")
        } catch let error as RegistryError {
            guard case .invalidDataset(let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("ragged:3"))
        }
        await #expect(throws: RegistryError.self) { try await store.pushDataset(name: "empty", bytes: []) }
        #expect(try await store.blobDigests().isEmpty)
        let untargeted = try await store.pushDataset(name: "plain", bytes: Array("x,y\n1,2\n3,4\n5,6\n".utf8))
        #expect(untargeted.rows == 3 && untargeted.columns == ["x", "y"])
        #expect(untargeted.schema == nil)
        #expect(untargeted.schemaError?.isEmpty == false)
    }

    @Test("chunked push: upload then register by digest", arguments: StoreKind.all)
    func chunkedPush(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let csv = RegistryFixtures.datasetCSV(seed: 5)
        let upload = try await store.beginUpload()
        for start in stride(from: 0, to: csv.count, by: 4096) {
            try upload.append(Array(csv[start..<min(start + 4096, csv.count)]))
        }
        let digest = try await upload.commit(expectedSHA256: SHA256Digest.hex(of: csv))
        let record = try await store.registerDataset(name: "customers", sha256: digest)
        #expect(record.rows == 300 && record.sha256 == digest)
        #expect(try await store.fetchDataset("customers").bytes == csv)
    }
}
