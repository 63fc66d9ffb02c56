import ChurnML
import Foundation
import Logging
import Registry
import ServiceKit
import ServiceLifecycle
import Wire

/// The registry benchmark behind `churn bench registry`: fills a fresh registry with model
/// versions, serves it on a loopback port in this process, and measures through the wire (one
/// connection, one request at a time) the latency of a metric-filtered search and of publishing a
/// ~14 KB bundle (blob upload with fsync, then ModelPublish with its commit) — on files and SQLite,
/// or on PostgreSQL and S3 when their URLs are given (docs/scaling.md).
public enum RegistryBenchmark {
    /// The search that is timed: about 1% of the versions match.
    public static let query = "name = \"bench\" and metrics.roc_auc >= 0.99 order by metrics.roc_auc desc limit 10"

    /// The figures of one run.
    public struct Result: Sendable {
        /// The stores measured, `metadata: ENGINE; blobs: ENGINE`.
        public var storeName: String
        /// Versions in the registry before measuring, and the seconds filling it took.
        public var versions: Int
        public var fillSeconds: Double
        /// Hits of the timed search.
        public var searchHits: Int
        /// Size of the seed bundles, in bytes.
        public var bundleBytes: Int
        /// Search and publish latency percentiles, in milliseconds (nearest rank).
        public var searchP50: Double, searchP99: Double
        public var publishP50: Double, publishP99: Double
    }

    /// Fills a registry in `dataDirectory` (or on `metadataURL` and `blobsURL`: both given, no
    /// directory is used) with `versions` versions, then times `searches` searches (after 20
    /// untimed ones) and `publishes` publishes of new, distinct bundles.
    public static func run(
        versions: Int, searches: Int, publishes: Int, dataDirectory: String, metadataURL: String?, blobsURL: String?
    ) async throws -> Result {
        guard versions >= 1, searches >= 1, publishes >= 1 else {
            throw BenchmarkFailure.invalidArgument("versions, searches and publishes must be at least 1")
        }
        var logger = Logger(label: "churn.bench.registry")
        logger.logLevel = .error
        let store = try await RegistryStore.open(
            dataDirectory: metadataURL != nil && blobsURL != nil ? nil : dataDirectory, metadataURL: metadataURL,
            blobsURL: blobsURL,
            logger: logger)
        let storeName = "metadata: \(store.metadata.engine); blobs: \(store.blobs.engine)"

        // Seed: 1000 distinct bundles (roc_auc spread over 0.5…1.0) cycled over the versions.
        let base = try baseBundle()
        let distinct = min(versions, 1000)
        let seedBundles = try (0..<distinct).map {
            try bundle(from: base, score: 0.5 + 0.5 * Double($0) / Double(distinct), tag: "seed-\($0)")
        }
        let fillStart = DispatchTime.now().uptimeNanoseconds
        for index in 0..<versions {
            try await store.publishModel(
                name: "bench", bundle: seedBundles[index % distinct], tags: ["i": "\(index % 100)"])
        }
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - fillStart) / 1e9

        var configuration = WireServerConfiguration()
        configuration.port = 0
        configuration.roleName = "registry"
        let handler = RegistryHandler(store: store, logger: logger)
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try await handler.attach(to: server.events, retention: configuration.eventRetention)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let serving = Task { try await group.run() }
        let port = try await server.listeningAddress.port ?? 0
        let client = try await RegistryClient.connect(host: "127.0.0.1", port: port)

        var searchNanos: [UInt64] = []
        var hits = 0
        for round in 0..<(searches + 20) {
            let start = DispatchTime.now().uptimeNanoseconds
            hits = try await client.search(query).count
            if round >= 20 { searchNanos.append(DispatchTime.now().uptimeNanoseconds - start) }
        }
        let fresh = try (0..<publishes).map { try bundle(from: base, score: 0.7, tag: "timed-\($0)") }
        var publishNanos: [UInt64] = []
        for bundle in fresh {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try await client.publishModel(bundle: bundle, name: "bench-publish")
            publishNanos.append(DispatchTime.now().uptimeNanoseconds - start)
        }
        await client.close()
        await group.triggerGracefulShutdown()
        try await serving.value
        await store.close()

        let search = percentiles(searchNanos)
        let publish = percentiles(publishNanos)
        return Result(
            storeName: storeName, versions: versions, fillSeconds: fillSeconds, searchHits: hits,
            bundleBytes: seedBundles[0].count,
            searchP50: search.p50, searchP99: search.p99, publishP50: publish.p50, publishP99: publish.p99)
    }

    /// p50 and p99 in milliseconds (nearest rank).
    static func percentiles(_ nanos: [UInt64]) -> (p50: Double, p99: Double) {
        let sorted = nanos.sorted()
        func rank(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        return (rank(0.50), rank(0.99))
    }

    /// The default small model (hidden layers 6, 6; a bundle of about 14 KB), trained one epoch.
    static func baseBundle() throws -> ModelBundle {
        let csv = SyntheticBankData.csv(rows: 300, seed: 11)
        let table = try CSVReader.parse(csv, source: "bench.csv")
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 1
        configuration.seed = 11
        return try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: SHA256Digest.hex(of: csv), source: "bench.csv")
        ).bundle
    }

    /// `base` with its recorded test metrics set to `score` and a distinguishing tool version.
    static func bundle(from base: ModelBundle, score: Double, tag: String) throws -> [UInt8] {
        var bundle = base
        bundle.metrics = ClassificationMetrics(
            rows: 60, accuracy: score, precision: 0.5, recall: 0.5, f1: 0.5, rocAUC: score, prAUC: score / 2,
            logLoss: 0.6, brier: 0.2, threshold: 0.5, confusionMatrix: ConfusionMatrix(tp: 10, fp: 10, tn: 30, fn: 10))
        bundle.lineage.toolVersion = tag
        return try BundleCodec.encode(bundle)
    }
}
