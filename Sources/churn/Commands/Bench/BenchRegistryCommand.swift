import ArgumentParser
import ChurnLoad
import Foundation

/// `churn bench registry`: fills a fresh registry with `--versions` model versions, serves it on a
/// loopback port in this process, and measures through the wire (one connection, one request at
/// a time) the latency of a metric-filtered search and of publishing a ~14 KB bundle (blob upload
/// with fsync, then ModelPublish with its SQLite commit). With `--metadata` and `--blobs` the same
/// is measured on PostgreSQL and S3 (docs/scaling.md); the name of the store is in the output.
/// The measuring is ChurnLoad's ``RegistryBenchmark``; this command parses and prints.
struct BenchRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Measure registry search and publish latency (p50/p99) through the server."
    )

    @Option(name: .long, help: "Model versions in the registry before measuring.") var versions: Int = 10_000
    @Option(name: .long, help: "Searches to time.") var searches: Int = 1000
    @Option(name: .long, help: "Publishes to time (each a new, distinct bundle).") var publishes: Int = 200
    @Option(name: .long, help: "Data directory to fill (default: a fresh temporary one, removed after).") var dataDir:
        String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Measure PostgreSQL metadata (an empty database) instead of SQLite.", valueName: "postgres://…"))
    var metadata: String?
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Measure S3 blobs (an empty prefix) instead of files; keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
            valueName: "s3://…")) var blobs: String?
    @Flag(name: .long, help: "Print one JSON object instead of text.") var json = false

    func run() async throws {
        guard versions >= 1, searches >= 1, publishes >= 1 else {
            throw ValidationError("--versions, --searches and --publishes must be at least 1")
        }
        let directory = dataDir ?? NSTemporaryDirectory() + "churn-bench-registry-" + UUID().uuidString
        defer { if dataDir == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let result = try await RegistryBenchmark.run(
            versions: versions, searches: searches, publishes: publishes, dataDirectory: directory,
            metadataURL: metadata,
            blobsURL: blobs)
        let query = RegistryBenchmark.query
        if json {
            print(
                JSONLine.object([
                    ("store", JSONLine.quoted(result.storeName)), ("versions", "\(versions)"),
                    ("fill_seconds", String(format: "%.1f", result.fillSeconds)),
                    ("search_hits", "\(result.searchHits)"), ("searches", "\(searches)"),
                    ("search_p50_ms", String(format: "%.3f", result.searchP50)),
                    ("search_p99_ms", String(format: "%.3f", result.searchP99)),
                    ("publishes", "\(publishes)"), ("bundle_bytes", "\(result.bundleBytes)"),
                    ("publish_p50_ms", String(format: "%.3f", result.publishP50)),
                    ("publish_p99_ms", String(format: "%.3f", result.publishP99)),
                ]))
        } else {
            print(
                "registry with \(versions) versions (filled in \(String(format: "%.1f", result.fillSeconds)) s), one connection; \(result.storeName):"
            )
            print(
                "  search  '\(query)' (\(result.searchHits) hits): p50 \(String(format: "%.3f", result.searchP50)) ms, p99 \(String(format: "%.3f", result.searchP99)) ms over \(searches)"
            )
            print(
                "  publish \(result.bundleBytes)-byte bundle (upload + fsync + commit): p50 \(String(format: "%.3f", result.publishP50)) ms, p99 \(String(format: "%.3f", result.publishP99)) ms over \(publishes)"
            )
        }
    }
}
