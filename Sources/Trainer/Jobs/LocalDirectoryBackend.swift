import ChurnML
import Foundation
import Synchronization

/// A backend over a plain directory, for running the trainer without a registry: dataset `NAME`
/// is the file `DIR/datasets/NAME.csv`, and each published model becomes `DIR/models/NAME-vN.churn`
/// with N counting up per name (written atomically).
public final class LocalDirectoryBackend: TrainingBackend {
    private let directory: String
    private let lock = Mutex<Void>(())

    /// A backend rooted at `directory` (its `datasets/` and `models/` folders are created as needed).
    public init(directory: String) throws {
        self.directory = directory
        for folder in ["datasets", "models"] {
            try FileManager.default.createDirectory(atPath: "\(directory)/\(folder)", withIntermediateDirectories: true)
        }
    }

    /// Reads `datasets/NAME.csv`; the reference must be a plain name (no path separators).
    public func fetchDataset(_ reference: String) async throws -> DatasetFile {
        guard !reference.isEmpty, reference.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }),
            !reference.hasPrefix(".")
        else {
            throw DataError(
                "is not a dataset name (letters, digits, '-', '_' and '.')", source: "dataset", value: reference)
        }
        return DatasetFile(bytes: try FileBytes.read("\(directory)/datasets/\(reference).csv"))
    }

    /// Writes `models/NAME-vN.churn` with the next free N and returns N (no promotion policy).
    public func publish(_ output: JobExecutor.Output, for job: TrainingJob) async throws -> PublishOutcome {
        try lock.withLock { _ in
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/models")) ?? []
            let prefix = "\(job.modelName)-v"
            let versions = existing.compactMap { name -> Int? in
                guard name.hasPrefix(prefix), name.hasSuffix(".churn") else { return nil }
                return Int(name.dropFirst(prefix.count).dropLast(".churn".count))
            }
            let version = (versions.max() ?? 0) + 1
            try FileBytes.writeAtomically(output.bundle, to: "\(directory)/models/\(prefix)\(version).churn")
            return PublishOutcome(version: version)
        }
    }
}
