import Foundation
import NIOCore

/// An event the trainer publishes (wire.md §14): topic `job.progress` after every epoch of every
/// job (payload: ``JobProgress``), topic `job.state` whenever a job changes state (payload: the
/// whole ``JobRecord``). Payloads are JSON with snake_case keys.
public enum TrainerEvent: Sendable, Equatable {
    /// A job finished an epoch.
    case progress(JobProgress)
    /// A job was queued, started, succeeded, failed or was cancelled.
    case state(JobRecord)

    /// Topic of progress events.
    public static let progressTopic = "job.progress"
    /// Topic of state events.
    public static let stateTopic = "job.state"
    /// Both topics.
    public static let topics = [progressTopic, stateTopic]

    /// The job the event is about.
    public var jobID: Int64 {
        switch self {
        case .progress(let progress): progress.jobID
        case .state(let record): record.id
        }
    }

    /// The event's topic.
    public var topic: String {
        switch self {
        case .progress: Self.progressTopic
        case .state: Self.stateTopic
        }
    }

    /// The event's JSON payload.
    public func payload() throws -> ByteBuffer {
        switch self {
        case .progress(let progress): try JSONDocument(encoding: progress).json
        case .state(let record): try JSONDocument(encoding: record).json
        }
    }

    /// Decodes a trainer event frame; nil for a topic that is not a trainer topic.
    public init?(_ message: EventMessage) throws {
        let document = JSONDocument(json: message.payload)
        switch message.topic {
        case Self.progressTopic: self = .progress(try document.decode(JobProgress.self))
        case Self.stateTopic: self = .state(try document.decode(JobRecord.self))
        default: return nil
        }
    }
}
