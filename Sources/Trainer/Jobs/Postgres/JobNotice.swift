import ChurnML
import Foundation

/// The payload of a `churn_trainer_jobs` notification: which trainer changed which job, and how
/// (a new state, to be read from the table, or an epoch, carried along). Kept small: NOTIFY
/// payloads are limited to 8000 bytes.
struct JobNotice: Codable, Sendable {
    /// The trainer instance that sent it (a trainer skips its own).
    var from: String
    /// The job.
    var job: Int64
    /// `state` or `progress`.
    var kind: String
    /// The epoch, for `progress`.
    var report: EpochReport?

    /// A state change of `jobID`, as JSON text.
    static func state(from instance: String, jobID: Int64) throws -> String {
        try PostgresJobQueue.json(JobNotice(from: instance, job: jobID, kind: "state", report: nil))
    }

    /// An epoch of `jobID`, as JSON text.
    static func progress(from instance: String, jobID: Int64, report: EpochReport) throws -> String {
        try PostgresJobQueue.json(JobNotice(from: instance, job: jobID, kind: "progress", report: report))
    }

    /// Parses a payload (nil when it is not one of these).
    init?(payload: String) {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let notice = try? decoder.decode(JobNotice.self, from: Data(payload.utf8)) else { return nil }
        self = notice
    }

    init(from: String, job: Int64, kind: String, report: EpochReport?) {
        self.from = from
        self.job = job
        self.kind = kind
        self.report = report
    }
}
