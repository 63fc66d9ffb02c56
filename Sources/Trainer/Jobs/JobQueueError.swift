import Foundation
import ServiceKit
import Wire

/// Why the job queue failed.
public enum JobQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--jobs` location cannot be used (the message names it and what is wrong).
    case invalidLocation(String)
    /// The queue's database cannot be reached or timed out; nothing was changed, and the request
    /// may be retried (on this trainer or another).
    case unavailable(String)
    /// The database refused a statement.
    case database(String)

    /// A one-line explanation for people.
    public var description: String {
        switch self {
        case .invalidLocation(let message): return message
        case .unavailable(let message): return "job queue unavailable: \(message)"
        case .database(let message): return "job queue database error: \(message)"
        }
    }

    /// How the PostgreSQL queue reports failures: unreachable → ``unavailable(_:)``, refused →
    /// ``database(_:)``; its own errors, wire errors and cancellation pass through.
    static let failures = PostgresDeadline.Failures(
        unavailable: { JobQueueError.unavailable($0) },
        map: { error, endpoint in
            switch error {
            case is JobQueueError, is JobKeyTaken, is CancellationError, is ErrorMessage: return error
            case is DecodingError, is EncodingError:
                return JobQueueError.database("a stored job cannot be read: \(error)")
            default:
                switch PostgresProblem(error, endpoint: endpoint) {
                case .unavailable(let message): return JobQueueError.unavailable(message)
                case .database(let message): return JobQueueError.database(message)
                }
            }
        })
}
