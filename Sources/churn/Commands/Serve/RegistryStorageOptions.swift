import ArgumentParser
import Foundation
import Logging
import Registry

/// Where `churn serve registry` keeps its state: the embedded data directory (SQLite index and blob
/// files, the default), PostgreSQL for the metadata (`--metadata`), an S3-compatible bucket for the
/// blobs (`--blobs`), or a mix (docs/scaling.md).
struct RegistryStorageOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Data directory of the embedded store (created when missing; one registry process at a time). Not needed when both --metadata and --blobs are given."
    )
    var dataDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep the index and event log in PostgreSQL instead of SQLite (shared by any number of replicas).",
            valueName: "postgres://USER@HOST:PORT/DB"))
    var metadata: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep the blobs in an S3-compatible bucket instead of files (credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the key files).",
            valueName: "s3://BUCKET/PREFIX?endpoint=URL&region=R"))
    var blobs: String?

    @Option(name: .long, help: "File holding the S3 access key id (with --s3-secret-key-file; else AWS_ACCESS_KEY_ID).")
    var s3AccessKeyFile: String?

    @Option(
        name: .long,
        help: "File holding the S3 secret access key (with --s3-access-key-file; else AWS_SECRET_ACCESS_KEY).")
    var s3SecretKeyFile: String?

    @Option(name: .long, help: "Where uploads to S3 are spooled while they arrive (default: a temporary directory).")
    var spoolDir: String?

    func validate() throws {
        if dataDir == nil, metadata == nil || blobs == nil {
            throw ValidationError(
                "give --data-dir, or both --metadata and --blobs (either may also be combined with --data-dir)")
        }
        if (s3AccessKeyFile == nil) != (s3SecretKeyFile == nil) {
            throw ValidationError("give both --s3-access-key-file and --s3-secret-key-file, or neither")
        }
    }

    /// Opens the stores (connecting to PostgreSQL and applying its migrations) and checks that the
    /// bucket answers. Failures are one-line validation errors naming the store.
    func open(logger: Logger) async throws -> RegistryStore {
        do {
            return try await RegistryStore.open(
                dataDirectory: dataDir, metadataURL: metadata, blobsURL: blobs, s3AccessKeyFile: s3AccessKeyFile,
                s3SecretKeyFile: s3SecretKeyFile, spoolDirectory: spoolDir, logger: logger)
        } catch let error as RegistryError {
            throw ValidationError("cannot open the registry: \(error)")
        }
    }
}
