import ArgumentParser
import ChurnML
import Foundation
import Logging
import Registry
import ServiceKit
import ServiceLifecycle
import Wire

/// `churn bench registry`: fills a fresh registry with `--versions` model versions, serves it on a
/// loopback port in this process, and measures through the wire (one connection, one request at
/// a time) the latency of a metric-filtered search and of publishing a ~14 KB bundle (blob upload
/// with fsync, then ModelPublish with its SQLite commit). With `--metadata` and `--blobs` the same
/// is measured on PostgreSQL and S3 (docs/scaling.md); the name of the store is in the output.
struct BenchRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Measure registry search and publish latency (p50/p99) through the server."
    )

    @Option(name: .long, help: "Model versions in the registry before measuring.") var versions: Int = 10_000
    @Option(name: .long, help: "Searches to time.") var searches: Int = 1000
    @Option(name: .long, help: "Publishes to time (each a new, distinct bundle).") var publishes: Int = 200
    @Option(name: .long, help: "Data directory to fill (default: a fresh temporary one, removed after).") var dataDir: String?
    @Option(name: .long, help: ArgumentHelp("Measure PostgreSQL metadata (an empty database) instead of SQLite.", valueName: "postgres://…")) var metadata: String?
    @Option(name: .long, help: ArgumentHelp("Measure S3 blobs (an empty prefix) instead of files; keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.", valueName: "s3://…")) var blobs: String?
    @Flag(name: .long, help: "Print one JSON object instead of text.") var json = false

    /// The search that is timed: about 1% of the versions match.
    static let query = "name = \"bench\" and metrics.roc_auc >= 0.99 order by metrics.roc_auc desc limit 10"

    func run() async throws {
        guard versions >= 1, searches >= 1, publishes >= 1 else {
            throw ValidationError("--versions, --searches and --publishes must be at least 1")
        }
        let directory = dataDir ?? NSTemporaryDirectory() + "churn-bench-registry-" + UUID().uuidString
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var logger = Logger(label: "churn.bench.registry")
        logger.logLevel = .error
        let store = try await RegistryStore.open(
            dataDirectory: metadata != nil && blobs != nil ? nil : directory, metadataURL: metadata, blobsURL: blobs, logger: logger)
        let storeName = "metadata: \(store.metadata.engine); blobs: \(store.blobs.engine)"

        // Seed: 1000 distinct bundles (roc_auc spread over 0.5…1.0) cycled over the versions.
        let base = try Self.baseBundle()
        let distinct = min(versions, 1000)
        let seedBundles = try (0..<distinct).map { try Self.bundle(from: base, score: 0.5 + 0.5 * Double($0) / Double(distinct), tag: "seed-\($0)") }
        let fillStart = DispatchTime.now().uptimeNanoseconds
        for index in 0..<versions {
            try await store.publishModel(name: "bench", bundle: seedBundles[index % distinct], tags: ["i": "\(index % 100)"])
        }
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - fillStart) / 1e9
        let bundleSize = seedBundles[0].count

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
            hits = try await client.search(Self.query).count
            if round >= 20 { searchNanos.append(DispatchTime.now().uptimeNanoseconds - start) }
        }
        let fresh = try (0..<publishes).map { try Self.bundle(from: base, score: 0.7, tag: "timed-\($0)") }
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

        let search = Self.percentiles(searchNanos)
        let publish = Self.percentiles(publishNanos)
        if json {
            JSONFields.print([
                ("store", ChaosSupport.quoted(storeName)), ("versions", "\(versions)"), ("fill_seconds", String(format: "%.1f", fillSeconds)),
                ("search_hits", "\(hits)"), ("searches", "\(searches)"),
                ("search_p50_ms", String(format: "%.3f", search.p50)), ("search_p99_ms", String(format: "%.3f", search.p99)),
                ("publishes", "\(publishes)"), ("bundle_bytes", "\(bundleSize)"),
                ("publish_p50_ms", String(format: "%.3f", publish.p50)), ("publish_p99_ms", String(format: "%.3f", publish.p99)),
            ])
        } else {
            print("registry with \(versions) versions (filled in \(String(format: "%.1f", fillSeconds)) s), one connection; \(storeName):")
            print("  search  '\(Self.query)' (\(hits) hits): p50 \(String(format: "%.3f", search.p50)) ms, p99 \(String(format: "%.3f", search.p99)) ms over \(searches)")
            print("  publish \(bundleSize)-byte bundle (upload + fsync + commit): p50 \(String(format: "%.3f", publish.p50)) ms, p99 \(String(format: "%.3f", publish.p99)) ms over \(publishes)")
        }
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

/// Prints `{"key": value, …}` with values already formatted as JSON.
enum JSONFields {
    /// Prints one line.
    static func print(_ fields: [(String, String)]) {
        Swift.print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
}
