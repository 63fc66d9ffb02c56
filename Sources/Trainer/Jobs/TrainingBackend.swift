/// Where a job's data comes from and where its model goes: the registry in production
/// (fetch a verified dataset blob, publish the bundle, apply the promotion policy).
public protocol TrainingBackend: Sendable {
    /// The bytes of the dataset `reference` (`name` or `name@sha256`), verified against their digest.
    func fetchDataset(_ reference: String) async throws -> [UInt8]

    /// Publishes a finished job's bundle and returns the published version (nil when the backend
    /// keeps no versions), after applying whatever promotion policy the backend has.
    func publish(_ output: JobExecutor.Output, for job: TrainingJob) async throws -> Int?
}
