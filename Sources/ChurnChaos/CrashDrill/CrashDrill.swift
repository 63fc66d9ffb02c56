import ChurnML
import Registry

/// A crash-safety drill for the storage engine: a publisher loop meant to run in a separate
/// process that is killed with SIGKILL at random moments, and the check to run after each
/// restart.
///
/// The loop prints (through `acknowledge`) one `Acknowledgement` line after each publish returns;
/// the driver keeps the lines it read before the kill. `verify` then checks that every
/// acknowledged version is present, readable and checksum-valid, that versions are gap-free, that
/// every indexed blob is intact, and that there is one `model.published` event per version.
public enum CrashDrill {
    /// One publish the loop saw acknowledged, printable as `ack NAME VERSION SHA256`.
    public struct Acknowledgement: Sendable, Equatable, CustomStringConvertible {
        /// The model name.
        public var name: String
        /// The version the store returned.
        public var version: Int
        /// The bundle's SHA-256.
        public var bundleSHA256: String

        /// Creates an acknowledgement.
        public init(name: String, version: Int, bundleSHA256: String) {
            self.name = name
            self.version = version
            self.bundleSHA256 = bundleSHA256
        }

        /// Parses a line written by `description`; nil for anything else (a line cut by the kill).
        public init?(line: String) {
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "ack", let version = Int(parts[2]),
                let digest = try? NameRules.normalizedDigest(String(parts[3])), digest == String(parts[3])
            else { return nil }
            self.init(name: String(parts[1]), version: version, bundleSHA256: digest)
        }

        /// `ack NAME VERSION SHA256`.
        public var description: String { "ack \(name) \(version) \(bundleSHA256)" }
    }

    /// Distinct, valid bundles: one tiny model (300 synthetic rows, one epoch) whose recorded
    /// test metrics are varied so that every bundle has other bytes.
    public static func bundles(count: Int, seed: UInt64) throws -> [[UInt8]] {
        let csv = SyntheticBankData.csv(rows: 300, seed: seed)
        let table = try CSVReader.parse(csv, source: "crash-drill.csv")
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 1
        configuration.seed = seed
        let base = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: SHA256Digest.hex(of: csv), source: "crash-drill.csv")
        ).bundle
        return try (0..<count).map { index in
            var bundle = base
            let score = 0.5 + Double(index % 4999) / 10_000
            bundle.metrics = ClassificationMetrics(
                rows: 60, accuracy: score, precision: 0.5, recall: 0.5, f1: 0.5, rocAUC: score, prAUC: score / 2,
                logLoss: 0.6, brier: 0.2, threshold: 0.5,
                confusionMatrix: ConfusionMatrix(tp: 10, fp: 10, tn: 30, fn: 10))
            bundle.lineage.toolVersion = "crash-drill-\(seed)-\(index)"
            return try BundleCodec.encode(bundle)
        }
    }

    /// Publishes `rounds` bundles under `name`, moving alias `latest-ok` to every fifth one, and
    /// calls `acknowledge` after each publish has returned (so only durable versions are
    /// acknowledged).
    public static func publishLoop(
        store: RegistryStore, name: String, rounds: Int, seed: UInt64, acknowledge: (Acknowledgement) -> Void
    ) async throws {
        let bundles = try bundles(count: min(rounds, 64), seed: seed)
        guard !bundles.isEmpty else { return }
        for round in 0..<rounds {
            let published = try await store.publishModel(
                name: name, bundle: bundles[round % bundles.count], tags: ["round": "\(round)"],
                alias: round % 5 == 4 ? "latest-ok" : nil, who: "crash-drill")
            acknowledge(Acknowledgement(name: name, version: published.version, bundleSHA256: published.bundleSHA256))
        }
    }

    /// Problems found after a restart (empty when the store kept every promise).
    public static func verify(store: RegistryStore, name: String, acknowledged: [Acknowledgement]) async throws
        -> [String]
    {
        var problems: [String] = []
        for ack in acknowledged {
            do {
                let (version, bytes) = try await store.fetchModel("\(ack.name)@\(ack.version)")
                if version.bundleSHA256 != ack.bundleSHA256 {
                    problems.append(
                        "\(ack.name)@\(ack.version): bundle \(version.bundleSHA256), acknowledged \(ack.bundleSHA256)")
                }
                _ = try BundleCodec.decode(bytes)
            } catch {
                problems.append("\(ack.name)@\(ack.version) was acknowledged but: \(error)")
            }
        }
        let versions = try await store.versions(of: name).map(\.version)
        if versions != Array(1..<(versions.count + 1)) {
            problems.append("versions of \(name) are not 1…\(versions.count): \(versions)")
        }
        let published = try await store.events(after: 0, kinds: [.modelPublished], limit: Int.max).filter {
            $0.name == name
        }
        if published.count != versions.count {
            problems.append("\(published.count) model.published events for \(versions.count) versions")
        }
        problems += try await store.checkIntegrity()
        return problems
    }
}
