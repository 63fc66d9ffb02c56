import PostgresNIO
import ServiceKit
import Wire

/// Maps errors from PostgresNIO to `RegistryError`: the server unreachable (refused, closed,
/// shutting down) becomes `unavailable("PostgreSQL at HOST:PORT: …")`, an SQL error becomes
/// `database(<the server's message>)`; registry errors, wire errors (a refused idempotency key),
/// idempotent replays and cancellation pass through.
enum PostgresFailure {
    /// SQLSTATEs after which a whole transaction may simply be run again.
    static let retryableStates: Set<String> = ["40001", "40P01"]

    /// The registry error for `error`.
    static func map(_ error: any Error, endpoint: String) -> any Error {
        switch error {
        case let error as RegistryError: return error
        case is CancellationError, is IdempotentReplay, is IdempotencyConflict, is ErrorMessage: return error
        case let error as PSQLError: return map(error, endpoint: endpoint)
        case let error as PostgresDecodingError:
            return RegistryError.database("unexpected column type: \(String(reflecting: error))")
        default:
            // NIO connection errors (refused, reset, timed out) surface from direct connections.
            return RegistryError.unavailable("PostgreSQL at \(endpoint): \(PostgresProblem.reason(error))")
        }
    }

    /// The registry error for a PostgresNIO error.
    static func map(_ error: PSQLError, endpoint: String) -> RegistryError {
        switch PostgresProblem(error, endpoint: endpoint) {
        case .unavailable(let message): return .unavailable(message)
        case .database(let message): return .database(message)
        }
    }

    /// A short reason for a connection-level failure (see ``PostgresProblem/reason(_:)``).
    static func reason(_ error: any Error) -> String {
        PostgresProblem.reason(error)
    }

    /// True when `error` is a unique violation (23505) of `constraint`.
    static func isUniqueViolation(_ error: PSQLError, constraint: String) -> Bool {
        PostgresProblem.isUniqueViolation(error, constraint: constraint)
    }

    /// True when `error` is a serialization failure or deadlock, after which the transaction may
    /// be retried from the start.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, error.code == .server, let state = error.serverInfo?[.sqlState] else {
            return false
        }
        return retryableStates.contains(state)
    }
}

extension PostgresDeadline.Failures {
    /// The registry's: `RegistryError.unavailable`, and errors mapped by ``PostgresFailure``.
    static let registry = PostgresDeadline.Failures(
        unavailable: { RegistryError.unavailable($0) }, map: { PostgresFailure.map($0, endpoint: $1) })
}
