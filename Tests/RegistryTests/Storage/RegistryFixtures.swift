import ChurnML
import Foundation
import Synchronization

@testable import Registry

/// A fresh directory under the system temporary directory. Tests remove it with
/// `defer { directory.remove() }`, which also keeps it alive to the end of the test.
final class TemporaryDirectory: Sendable {
    /// The directory path.
    let path: String

    /// Creates the directory.
    init() throws {
        path = NSTemporaryDirectory() + "registry-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A deterministic clock: starts at 2026-01-01T00:00:00Z (1,767,225,600,000 ms: 20,454 days
/// after the epoch, since 1970…2025 hold 56 years with 14 leap days) and advances one second per
/// reading (or `step` milliseconds).
final class SteppingClock: Sendable {
    /// 2026-01-01T00:00:00Z in milliseconds.
    static let start: Int64 = 1_767_225_600_000
    private let next = Mutex<Int64>(SteppingClock.start)
    private let step: Int64

    /// A clock that advances `step` milliseconds per reading.
    init(step: Int64 = 1000) {
        self.step = step
    }

    /// The next reading.
    func read() -> Int64 {
        next.withLock { value in
            defer { value += step }
            return value
        }
    }
}

/// One trained bundle shared by the tests (training is deterministic, so sharing changes nothing).
let sharedBaseBundle: ModelBundle? = try? RegistryFixtures.trainedBundle(seed: 1)

/// Small valid bundles and datasets for registry tests.
enum RegistryFixtures {
    /// A tiny model trained for one epoch on 300 synthetic rows.
    static func trainedBundle(seed: UInt64 = 1) throws -> ModelBundle {
        let bytes = SyntheticBankData.csv(rows: 300, seed: seed)
        let table = try CSVReader.parse(bytes, source: "synthetic.csv")
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 1
        configuration.seed = seed
        return try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: SHA256Digest.hex(of: bytes), source: "synthetic.csv"),
            created: "2026-01-01T00:00:00Z"
        ).bundle
    }

    /// The bytes of `trainedBundle(seed:)`.
    static func bundleBytes(seed: UInt64 = 1) throws -> [UInt8] {
        try BundleCodec.encode(try trainedBundle(seed: seed))
    }

    /// A valid bundle whose test metrics and dataset digest are set by hand (everything else comes
    /// from the trained bundle `base`).
    static func bundle(
        from base: ModelBundle, rocAUC: Double?, accuracy: Double, f1: Double = 0.5, dataset: String? = nil
    ) throws -> [UInt8] {
        var bundle = base
        bundle.metrics = ClassificationMetrics(
            rows: 60, accuracy: accuracy, precision: 0.5, recall: 0.5, f1: f1, rocAUC: rocAUC,
            prAUC: rocAUC.map { $0 / 2 },
            logLoss: 0.6, brier: 0.2, threshold: 0.5, confusionMatrix: ConfusionMatrix(tp: 10, fp: 10, tn: 30, fn: 10))
        if let dataset { bundle.lineage.datasetSHA256 = dataset }
        return try BundleCodec.encode(bundle)
    }

    /// `bundle(from:…)` on the shared trained bundle.
    static func bundle(rocAUC: Double?, accuracy: Double, f1: Double = 0.5, dataset: String? = nil) throws -> [UInt8] {
        guard let base = sharedBaseBundle else {
            throw RegistryError.invalidArgument("the fixture bundle did not train")
        }
        return try bundle(from: base, rocAUC: rocAUC, accuracy: accuracy, f1: f1, dataset: dataset)
    }

    /// A small churn CSV that ChurnML reads and infers a schema for.
    static func datasetCSV(seed: UInt64 = 3, rows: Int = 300) -> [UInt8] {
        SyntheticBankData.csv(rows: rows, seed: seed)
    }
}

/// Blob access the tests need beyond the store's own API.
extension RegistryStore {
    /// Stores bytes straight into the blob storage (no index entry) and returns their digest.
    @discardableResult
    func writeBlob(_ bytes: [UInt8]) async throws -> String {
        let digest = SHA256Digest.hex(of: bytes)
        try await blobs.write(bytes, digest: digest)
        return digest
    }

    /// The digests of every stored blob, sorted.
    func blobDigests() async throws -> [String] {
        try await blobs.list().map(\.digest)
    }

    /// The file of a blob in an embedded store.
    func blobPath(for digest: String) throws -> String {
        guard let files = blobs as? FileBlobStore else { throw RegistryError.invalidArgument("not an embedded store") }
        return try files.directory.path(for: digest)
    }
}
