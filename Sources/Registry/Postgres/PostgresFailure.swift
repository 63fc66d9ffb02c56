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
            return RegistryError.unavailable("PostgreSQL at \(endpoint): \(reason(error))")
        }
    }

    /// The registry error for a PostgresNIO error.
    static func map(_ error: PSQLError, endpoint: String) -> RegistryError {
        if error.code == .server {
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? String(reflecting: error)
            // 08…: connection exceptions; 57P01…57P03: shutdown, crash, not accepting connections yet.
            if state.hasPrefix("08") || state.hasPrefix("57P") {
                return .unavailable("PostgreSQL at \(endpoint): \(message)")
            }
            if let detail = error.serverInfo?[.detail] { return .database("\(message) (\(detail))") }
            return .database(message)
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .queryCancelled:
            return .unavailable("PostgreSQL at \(endpoint): \(reason(error))")
        default:
            return .database(String(reflecting: error))
        }
    }

    /// A short reason for a connection-level failure: the server's message, else the underlying
    /// network error, else the error's own description.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return error.code.description
    }

    /// True when `error` is a unique violation (23505) of `constraint`.
    static func isUniqueViolation(_ error: PSQLError, constraint: String) -> Bool {
        error.code == .server && error.serverInfo?[.sqlState] == "23505" && error.serverInfo?[.constraintName] == constraint
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
