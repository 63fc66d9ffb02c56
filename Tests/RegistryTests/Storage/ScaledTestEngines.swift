import Foundation
import ServiceKit

@testable import Registry

/// The PostgreSQL and S3 servers started for the test run (`scripts/engines/start.sh`), found
/// through environment variables, and fresh isolated places in them for each test: a new database
/// and a new key prefix.
enum ScaledTestEngines {
    /// A fresh database and S3 prefix.
    struct Location: Sendable {
        /// The fresh database.
        var database: PostgresLocation
        /// The S3 prefix inside the test bucket.
        var prefix: String
    }

    /// True when both engines are configured.
    static var configured: Bool {
        PostgresTestDatabase.enabled && S3TestServer.isConfigured
    }

    /// Creates a fresh database and picks a fresh prefix (the bucket is created when missing).
    static func freshLocation() async throws -> Location {
        guard let url = PostgresTestDatabase.serverURL else {
            throw RegistryError.unavailable("CHURN_TEST_POSTGRES_URL is not set")
        }
        let server = try PostgresLocation(url: url)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = PostgresMetadataStore(location: server, logger: PostgresTestDatabase.logger)
        do {
            try await admin.execute("CREATE DATABASE \(name)")
        } catch {
            await admin.close()
            throw error
        }
        await admin.close()
        let prefix = S3TestServer.freshPrefix()
        try await S3TestServer.client(prefix: prefix).shutdown()
        return Location(database: server.with(database: String(name)), prefix: prefix)
    }

    /// A registry store over `location` (PostgreSQL migrated at open).
    static func open(_ location: Location, clock: @escaping @Sendable () -> Int64) async throws -> RegistryStore {
        let metadata = PostgresMetadataStore(location: location.database, logger: PostgresTestDatabase.logger)
        try await metadata.migrate()
        let blobs = try S3BlobStore(client: try await S3TestServer.client(prefix: location.prefix, createBucket: false))
        return RegistryStore(metadata: metadata, blobs: blobs, clock: clock)
    }

    /// Overwrites a blob's object in the bucket.
    static func overwriteBlob(_ digest: String, with bytes: [UInt8], at location: Location) async throws {
        let client = try await S3TestServer.client(prefix: location.prefix, createBucket: false)
        let store = try S3BlobStore(client: client)
        try await client.putObject(key: try store.key(for: digest), bytes: bytes)
        try await client.shutdown()
    }
}
