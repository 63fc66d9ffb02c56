/// 0x0200 SubmitJob: trains `dataset` with `options` and publishes the model as `model_name`.
public struct SubmitJobRequest: TrainerCall, Equatable {
    /// The accepted (queued) job.
    public typealias Response = JobRecord
    /// 0x0200.
    public static let opcode = Opcode.submitJob
    /// Dataset reference in the registry: `name` (latest push) or `name@sha256` (a digest prefix of
    /// at least 4 hex digits, or the full digest).
    public var dataset: String
    /// Model name to publish under.
    public var modelName: String
    /// Training options with the trainer's snake_case keys (`hidden_layers`, `epochs`,
    /// `batch_size`, `adam.learning_rate`, `seed`, `test_split`, `validation_split`,
    /// `early_stopping_patience`, `class_weight`, `threads`, `threshold`); absent keys take the
    /// reference recipe's defaults. An unknown key or bad value is refused with `invalidRequest`
    /// and `field` = `options.KEY`.
    public var options: [String: JobOptionValue]
    /// The binary target column, when it should not be inferred.
    public var target: String?
    /// Tags to publish the model with.
    public var tags: [String: String]

    public init(
        dataset: String, modelName: String = "churn", options: [String: JobOptionValue] = [:], target: String? = nil,
        tags: [String: String] = [:]
    ) {
        self.dataset = dataset
        self.modelName = modelName
        self.options = options
        self.target = target
        self.tags = tags
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case dataset
        case modelName = "model_name"
        case options, target, tags
    }

    /// Decodes the request; `model_name`, `options` and `tags` may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try container.decode(String.self, forKey: .dataset)
        modelName = try container.decodeIfPresent(String.self, forKey: .modelName) ?? "churn"
        options = try container.decodeIfPresent([String: JobOptionValue].self, forKey: .options) ?? [:]
        target = try container.decodeIfPresent(String.self, forKey: .target)
        tags = try container.decodeIfPresent([String: String].self, forKey: .tags) ?? [:]
    }
}

/// 0x0201 JobStatus: one job by id.
public struct JobStatusRequest: TrainerCall, Equatable {
    /// The job.
    public typealias Response = JobRecord
    /// 0x0201.
    public static let opcode = Opcode.jobStatus
    /// The job id.
    public var id: Int64

    public init(id: Int64) { self.id = id }
}

/// 0x0202 ListJobs: jobs, newest first, optionally only some states.
public struct ListJobsRequest: TrainerCall, Equatable {
    /// The jobs.
    public typealias Response = JobList
    /// 0x0202.
    public static let opcode = Opcode.listJobs
    /// Only jobs in these states (empty: all).
    public var states: [JobState]
    /// At most this many (1…1000).
    public var limit: Int

    public init(states: [JobState] = [], limit: Int = 100) {
        self.states = states
        self.limit = limit
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey { case states, limit }

    /// Decodes the request; both keys may be absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        states = try container.decodeIfPresent([JobState].self, forKey: .states) ?? []
        limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 100
    }
}

/// ListJobs' answer.
public struct JobList: Codable, Sendable, Equatable {
    /// The jobs, newest first.
    public var items: [JobRecord]

    /// Wraps records.
    public init(_ items: [JobRecord]) { self.items = items }
}

/// 0x0203 CancelJob: stops a queued job at once, a running one after its current epoch. The answer
/// is the job as it is when the request is handled (a running job turns `cancelled` shortly after;
/// a finished job is returned unchanged).
public struct CancelJobRequest: TrainerCall, Equatable {
    /// The job.
    public typealias Response = JobRecord
    /// 0x0203.
    public static let opcode = Opcode.cancelJob
    /// The job id.
    public var id: Int64

    public init(id: Int64) { self.id = id }
}
