import Foundation
import Logging
import ServiceKit
import Synchronization
import Wire

@testable import Registry

/// A fresh PostgreSQL database per test, created through `CHURN_TEST_POSTGRES_URL`'s database
/// (`CREATE DATABASE t_<random>`) and dropped at the end. The PostgreSQL tests run only when that
/// variable is set (see `scripts/engines/start-postgres.sh`).
struct PostgresTestDatabase: Sendable {
    /// The server URL, when the tests are enabled.
    static var serverURL: String? {
        ProcessInfo.processInfo.environment["CHURN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    /// True when a test server is configured.
    static var enabled: Bool { serverURL != nil }
    /// The server's directory (start-postgres.sh's DIR), for the restart test.
    static var serverDirectory: String? {
        ProcessInfo.processInfo.environment["CHURN_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The fresh database's location.
    let location: PostgresLocation
    /// Where the server is (the database the URL names).
    let server: PostgresLocation

    /// A quiet logger for stores under test.
    static let logger: Logger = {
        var logger = Logger(label: "churn.tests.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// Creates a fresh database, runs `body` with it, and drops it (even when `body` throws).
    static func with(_ body: (PostgresTestDatabase) async throws -> Void) async throws {
        guard let serverURL else { return }
        let server = try PostgresLocation(url: serverURL)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await admin(server) { try await $0.execute("CREATE DATABASE \(name)") }
        let database = PostgresTestDatabase(location: server.with(database: String(name)), server: server)
        do {
            try await body(database)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    /// A store on the server's own database, for `CREATE`/`DROP DATABASE`.
    private static func admin(_ server: PostgresLocation, _ body: (PostgresMetadataStore) async throws -> Void)
        async throws
    {
        let store = PostgresMetadataStore(location: server, logger: logger)
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    private func drop() async throws {
        try await Self.admin(server) {
            try await $0.execute("DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
        }
    }

    /// A store on this database (not migrated).
    func unmigratedStore(_ configuration: PostgresMetadataStore.Configuration = .init()) -> PostgresMetadataStore {
        PostgresMetadataStore(location: location, configuration: configuration, logger: Self.logger)
    }

    /// Runs `body` with a migrated store on this database, closing it afterwards.
    func withStore(
        _ configuration: PostgresMetadataStore.Configuration = .init(),
        _ body: (PostgresMetadataStore) async throws -> Void
    ) async throws {
        let store = unmigratedStore(configuration)
        do {
            try await store.migrate()
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// Fixtures for the PostgreSQL store tests.
enum PostgresFixtures {
    /// A 64-hex-digit digest made from `seed` (distinct seeds give distinct digests).
    static func digest(_ seed: Int, prefix: String = "") -> String {
        let hex = String(seed, radix: 16)
        let body = prefix + String(repeating: "0", count: max(0, 64 - prefix.count - hex.count)) + hex
        return String(body.prefix(64))
    }

    /// A version draft.
    static func draft(
        _ name: String, seed: Int = 1, tags: [String: String] = [:], metrics: [String: Double] = [:],
        dataset: String? = nil, description: String = ""
    ) -> ModelVersion {
        .draft(
            name: name, bundleSHA256: digest(seed, prefix: "b"), bundleSize: Int64(100 + seed),
            datasetSHA256: dataset ?? digest(seed, prefix: "d"), description: description, threshold: 0.5,
            hyperparameters: "{\"epochs\":1}", lineage: "{\"seed\":\(seed)}", tags: tags, metrics: metrics)
    }

    /// A dataset record.
    static func dataset(_ name: String, sha256: String, at created: Int64, rows: Int = 10) -> DatasetRecord {
        DatasetRecord(
            name: name, sha256: sha256, size: 1234, rows: rows, columns: ["a", "b", "churn"],
            schema: "{\"target\":\"churn\"}",
            schemaError: nil, createdMillis: created, description: "d", dialect: nil, profile: "{\"rows\":\(rows)}")
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound, read, closed).
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw RegistryError.io(path: "socket", reason: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw RegistryError.io(path: "socket", reason: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// An ordered log shared by concurrent tasks (to prove what happened before what).
actor EventLog {
    private(set) var entries: [String] = []

    /// Appends an entry.
    func append(_ entry: String) {
        entries.append(entry)
    }
}
