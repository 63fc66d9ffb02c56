import Foundation
import Logging
import PostgresNIO
import ServiceKit

@testable import Trainer

/// A fresh PostgreSQL database per test for the shared job queue, created through
/// `CHURN_TEST_POSTGRES_URL` (`scripts/engines/start.sh`) and dropped afterwards. Tests using it
/// run only when that variable is set.
struct JobQueueTestDatabase: Sendable {
    /// The server URL, when the tests are enabled.
    static var serverURL: String? {
        ProcessInfo.processInfo.environment["CHURN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    /// True when a test server is configured.
    static var enabled: Bool { serverURL != nil }

    /// The fresh database.
    let location: PostgresLocation

    /// A quiet logger.
    static let logger: Logger = {
        var logger = Logger(label: "churn.tests.jobs")
        logger.logLevel = .warning
        return logger
    }()

    /// The fresh database's URL (for `serve trainer --jobs`).
    var url: String { "postgres://\(location.user)@\(location.endpoint)/\(location.database)" }

    /// A migrated queue for trainer `instance` on this database.
    func queue(_ instance: String) async throws -> PostgresJobQueue {
        let queue = PostgresJobQueue(location: location, instance: instance, logger: Self.logger)
        try await queue.migrate()
        return queue
    }

    /// Creates a fresh database, runs `body`, drops it (even when `body` throws).
    static func with(_ body: (JobQueueTestDatabase) async throws -> Void) async throws {
        guard let serverURL else { return }
        let server = try PostgresLocation(url: serverURL)
        let name = "j_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try await admin(server, "CREATE DATABASE \(name)")
        let database = JobQueueTestDatabase(location: server.with(database: String(name)))
        do {
            try await body(database)
        } catch {
            try? await admin(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        try await admin(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func admin(_ server: PostgresLocation, _ sql: String) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: server.connectionConfiguration(connectTimeout: .seconds(5)), id: 1, logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
