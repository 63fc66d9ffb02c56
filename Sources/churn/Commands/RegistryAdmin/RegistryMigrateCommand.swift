import ArgumentParser
import Foundation
import Logging
import Registry
import Wire

/// `churn registry migrate`: copies an embedded registry (its data directory) into PostgreSQL and/or
/// an S3-compatible bucket — every blob, version, counter, alias, alias-history entry, deployment and
/// event, every digest verified on both sides (``RegistryMigration``).
struct RegistryMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy an embedded registry into PostgreSQL and S3, verified.",
        discussion: """
            The source registry must not be running (its data directory is locked while it is). The target \
            metadata store must be empty. Blobs are read verified from the source, written, and read back \
            verified; the metadata goes in one transaction and is then compared with the source's, row by row.
            """)

    @Option(name: .long, help: "The embedded registry's data directory.") var from: String
    @Option(name: .long, help: ArgumentHelp("Target metadata store.", valueName: "postgres://USER@HOST:PORT/DB"))
    var toMetadata: String
    @Option(
        name: .long, help: ArgumentHelp("Target blob store.", valueName: "s3://BUCKET/PREFIX?endpoint=URL&region=R"))
    var toBlobs: String
    @Option(name: .long, help: "File holding the S3 access key id (else AWS_ACCESS_KEY_ID).") var s3AccessKeyFile:
        String?
    @Option(name: .long, help: "File holding the S3 secret access key (else AWS_SECRET_ACCESS_KEY).")
    var s3SecretKeyFile: String?
    @Flag(name: .long, help: "Print the report as JSON.") var json = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: from + "/index.sqlite") else {
            throw ValidationError("--from '\(from)' is not a registry data directory (no index.sqlite)")
        }
        var logger = Logger(label: "churn.registry.migrate")
        logger.logLevel = .warning
        let source: RegistryStore
        let target: RegistryStore
        do {
            source = try RegistryStore(directory: from, logger: logger)
            target = try await RegistryStore.open(
                dataDirectory: nil, metadataURL: toMetadata, blobsURL: toBlobs, s3AccessKeyFile: s3AccessKeyFile,
                s3SecretKeyFile: s3SecretKeyFile, logger: logger)
        } catch let error as RegistryError {
            throw ValidationError("cannot open the registries: \(error)")
        }
        let report = try await withClosing { () async throws -> RegistryMigration.Report in
            guard let metadata = target.metadata as? any SnapshotableMetadataStore else {
                throw ValidationError("the target metadata store cannot import a registry")
            }
            do {
                return try await RegistryMigration.copy(from: source, to: metadata, blobs: target.blobs) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
            } catch let error as RegistryError {
                ClientSession.fail("migration failed: \(error)")
            }
        } close: {
            await target.close()
        }
        if json {
            print(
                "{\"blobs\": \(report.blobs), \"bytes\": \(report.bytes), \"datasets\": \(report.datasets), "
                    + "\"versions\": \(report.versions), \"alias_moves\": \(report.aliasMoves), \"events\": \(report.events)}"
            )
        } else {
            print(
                "migrated \(report.blobs) blobs (\(report.bytes) bytes), \(report.datasets) datasets, \(report.versions) versions, "
                    + "\(report.aliasMoves) alias moves, \(report.events) events; every digest verified, metadata compared"
            )
        }
    }
}
