import PostgresNIO

/// What went wrong talking to PostgreSQL, in the two kinds a caller acts on: the server cannot be
/// reached (retry later, maybe elsewhere) or it refused a statement (a bug or a constraint).
public enum PostgresProblem: Sendable, Equatable {
    /// The server is unreachable, closed the connection, is shutting down or not accepting
    /// connections yet: "PostgreSQL at HOST:PORT: <reason>".
    case unavailable(String)
    /// The server answered the statement with an error: its message (and detail).
    case database(String)

    /// The problem `error` (thrown by PostgresNIO or a NIO connection) describes, for the server at
    /// `endpoint`.
    public init(_ error: any Error, endpoint: String) {
        guard let error = error as? PSQLError else {
            // NIO connection errors (refused, reset, timed out) surface from direct connections.
            self = .unavailable("PostgreSQL at \(endpoint): \(Self.reason(error))")
            return
        }
        if error.code == .server {
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? String(reflecting: error)
            // 08…: connection exceptions; 57P01…57P03: shutdown, crash, not accepting connections yet.
            if state.hasPrefix("08") || state.hasPrefix("57P") {
                self = .unavailable("PostgreSQL at \(endpoint): \(message)")
            } else if let detail = error.serverInfo?[.detail] {
                self = .database("\(message) (\(detail))")
            } else {
                self = .database(message)
            }
            return
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .queryCancelled:
            self = .unavailable("PostgreSQL at \(endpoint): \(Self.reason(error))")
        default:
            self = .database(String(reflecting: error))
        }
    }

    /// A short reason for a connection-level failure: the server's message, else the underlying
    /// network error, else the error's own description.
    public static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return error.code.description
    }

    /// True when `error` is a unique violation (23505), of `constraint` when given.
    public static func isUniqueViolation(_ error: any Error, constraint: String? = nil) -> Bool {
        guard let error = error as? PSQLError, error.code == .server, error.serverInfo?[.sqlState] == "23505" else {
            return false
        }
        return constraint == nil || error.serverInfo?[.constraintName] == constraint
    }
}
