import ChurnML
import Wire

/// Where a job's data comes from and where its model goes: the registry in production
/// (fetch a verified dataset blob, publish the bundle, apply the promotion policy).
public protocol TrainingBackend: Sendable {
    /// The bytes of the dataset `reference` (`name` or `name@sha256`), verified against their digest,
    /// with how to read them.
    func fetchDataset(_ reference: String) async throws -> DatasetFile

    /// Publishes a finished job's bundle, applying whatever promotion policy the backend has, and
    /// says which version it became and what the policy decided.
    func publish(_ output: JobExecutor.Output, for job: TrainingJob) async throws -> PublishOutcome

    /// What an earlier attempt of `job` published, when it did (its trainer died before recording
    /// the outcome); nil when it did not or the backend cannot tell.
    func earlierPublish(for job: TrainingJob) async throws -> JobResult?
}

extension TrainingBackend {
    /// Cannot tell: nil.
    public func earlierPublish(for job: TrainingJob) async throws -> JobResult? { nil }
}

/// A dataset's bytes and how to read them (a delimiter forced when the dataset was pushed).
public struct DatasetFile: Sendable {
    /// The CSV file's bytes.
    public var bytes: [UInt8]
    /// The reader's options.
    public var csv: CSVReadOptions

    /// Creates a dataset file.
    public init(bytes: [UInt8], csv: CSVReadOptions = CSVReadOptions()) {
        self.bytes = bytes
        self.csv = csv
    }
}

/// What publishing a job's bundle produced.
public struct PublishOutcome: Sendable, Equatable {
    /// The published version (nil when the backend keeps no versions).
    public var version: Int?
    /// The promotion decision (nil when the backend has no policy).
    public var promotion: PromotionDecision?

    /// Creates the outcome.
    public init(version: Int?, promotion: PromotionDecision? = nil) {
        self.version = version
        self.promotion = promotion
    }
}
