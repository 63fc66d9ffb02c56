import ChurnML
import Foundation
import GRDB
import Testing
import Wire

@testable import Registry

/// Datasets carry how the file was written (dialect) and its data profile, stored in the index
/// (migration v2) and returned in the record; records indexed before v2 still read.
@Suite("Registry store: dataset dialect and profile")
struct DatasetProfileTests {
    /// The reference dataset (`../shared/datasets/Churn_Modelling.csv` from the package root) when it
    /// is present, else synthetic bank rows of the same shape (10,000 rows, 14 columns).
    static let reference: [UInt8] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/datasets/Churn_Modelling.csv").path
        if let data = FileManager.default.contents(atPath: path) { return Array(data) }
        return SyntheticBankData.csv(rows: 10_000, seed: 5)
    }()

    @Test(
        "pushing the reference dataset records its profile: 10,000 rows, 14 columns, target Exited",
        arguments: StoreKind.all)
    func profile(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let record = try await store.pushDataset(name: "bank", bytes: Self.reference)
        let json = try #require(record.profile)
        let profile = try JSONDecoder().decode(DataProfile.self, from: Data(json.utf8))
        #expect(profile.rows == 10_000)
        #expect(profile.columns.count == 14)
        #expect(profile.target?.column == "Exited")
        #expect(profile.columns.first { $0.name == "Exited" }?.role == .target)
        #expect(profile.columns.first { $0.name == "Geography" }?.role == .categorical)
        #expect(profile.columns.first { $0.name == "Age" }?.minimum != nil)
        // Stored in the index, not only returned once.
        #expect(try await store.dataset("bank").profile == json)
        #expect(try await store.datasets(name: "bank").first?.profile == json)
    }

    @Test(
        "pushing the reference dataset records its dialect: comma-separated, UTF-8 (needs the dialect-detecting reader)",
        arguments: StoreKind.all)
    func dialect(_ kind: StoreKind) async throws {
        let registry = try await TestStore.make(kind)
        defer { registry.remove() }
        let store = registry.store
        let record = try await store.pushDataset(name: "bank", bytes: Self.reference)
        guard let json = record.dialect else {
            Issue.record(
                "no dialect recorded: ChurnML's CSVReader set no Table.dialect (the dialect-detecting reader records one)"
            )
            return
        }
        #expect(json.contains(#""delimiter":",""#))
        let dialect = try JSONDecoder().decode(CSVDialect.self, from: Data(json.utf8))
        #expect(dialect.delimiter == UInt8(ascii: ","))
        #expect(dialect.compression == "none")
        #expect(try await store.dataset("bank").dialect == json)
    }

    @Test("records indexed before the dialect/profile migration still read, with neither")
    func beforeMigration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // An index as the first registry version left it: only migration v1, one dataset row.
        do {
            let queue = try DatabaseQueue(path: directory.path + "/index.sqlite")
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1-registry") { db in try db.execute(sql: RegistryMigrations.v1) }
            try migrator.migrate(queue)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO datasets (name, sha256, size, rows, columns, schema_json, schema_error, created, description)
                        VALUES ('old', ?, 12, 2, '["a","Exited"]', NULL, 'no target', 1767225600000, 'from v1')
                        """, arguments: [String(repeating: "ab", count: 32)])
            }
        }
        let store = try RegistryStore(directory: directory.path)
        let record = try await store.dataset("old")
        #expect(record.columns == ["a", "Exited"])
        #expect(record.description == "from v1")
        #expect(record.dialect == nil)
        #expect(record.profile == nil)
        // A record answered by an older registry (no such keys) decodes too, and nil fields are left out.
        let old =
            #"{"name":"old","sha256":"ab","size":12,"rows":2,"columns":["a"],"schema":null,"schema_error":null,"created_ms":1,"description":""}"#
        let decoded = try JSONDecoder().decode(DatasetRecord.self, from: Data(old.utf8))
        #expect(decoded.dialect == nil && decoded.profile == nil && decoded.rows == 2)
        let encoded = String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self)
        #expect(!encoded.contains("dialect") && !encoded.contains("profile"))
    }
}
