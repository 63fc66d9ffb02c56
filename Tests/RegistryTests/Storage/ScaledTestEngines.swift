import Foundation
@testable import Registry

/// The PostgreSQL and S3 servers started for the test run (`scripts/engines/start.sh`), found
/// through environment variables, and fresh isolated places in them for each test.
enum ScaledTestEngines {
    /// A fresh database and S3 prefix.
    struct Location: Sendable {
        /// `postgres://…/t_<random>`.
        var postgresURL: String
        /// The S3 prefix inside the test bucket.
        var prefix: String
    }

    /// True when both engines are configured.
    static var configured: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CHURN_TEST_POSTGRES_URL"] != nil && environment["CHURN_TEST_S3_ENDPOINT"] != nil
    }

    /// Creates a fresh database and picks a fresh prefix.
    static func freshLocation() async throws -> Location {
        throw RegistryError.unavailable("scaled test engines are not wired yet")
    }

    /// A registry store over `location`.
    static func open(_ location: Location, clock: @escaping @Sendable () -> Int64) async throws -> RegistryStore {
        throw RegistryError.unavailable("scaled test engines are not wired yet")
    }

    /// Overwrites a blob's object in the bucket.
    static func overwriteBlob(_ digest: String, with bytes: [UInt8], at location: Location) async throws {
        throw RegistryError.unavailable("scaled test engines are not wired yet")
    }
}
