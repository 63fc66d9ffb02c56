import Wire

/// Copies a whole registry — every blob, dataset, version, counter, alias, alias-history entry,
/// deployment and event — into other stores (`churn registry migrate`): an embedded registry moves
/// up to PostgreSQL and S3 without losing its history.
///
/// Blobs go first, each read verified from the source, written, and read back verified from the
/// target; then the metadata in one transaction, which the target refuses unless it is empty; then
/// the target's metadata is read back and compared with the source's, row by row.
public enum RegistryMigration {
    /// What a migration copied.
    public struct Report: Sendable, Equatable {
        /// Blobs copied (and verified on both sides).
        public var blobs = 0
        /// Their bytes.
        public var bytes: Int64 = 0
        /// Dataset pushes.
        public var datasets = 0
        /// Model versions.
        public var versions = 0
        /// Alias history entries.
        public var aliasMoves = 0
        /// Events.
        public var events = 0
    }

    /// Copies `source` into `metadata` and `blobs`; `progress` hears one line per step.
    public static func copy(
        from source: RegistryStore, to metadata: any SnapshotableMetadataStore, blobs: any BlobStorage,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> Report {
        guard let sourceMetadata = source.metadata as? any SnapshotableMetadataStore else {
            throw RegistryError.invalidArgument("the source registry's metadata store cannot be exported")
        }
        let snapshot = try await sourceMetadata.exportSnapshot()
        var report = Report()
        let digests = snapshot.blobDigests
        for (position, digest) in digests.enumerated() {
            let bytes = try await source.blobs.read(digest)
            try await blobs.write(bytes, digest: digest)
            guard try await blobs.read(digest) == bytes else { throw RegistryError.corrupted(sha256: digest) }
            report.blobs += 1
            report.bytes += Int64(bytes.count)
            if (position + 1) % 100 == 0 || position + 1 == digests.count {
                progress("blobs: \(position + 1)/\(digests.count) copied and verified")
            }
        }
        try await metadata.importSnapshot(snapshot)
        let copied = try await metadata.exportSnapshot()
        guard comparable(copied) == comparable(snapshot) else {
            throw RegistryError.database("the copied metadata does not read back equal to the source's")
        }
        progress(
            "metadata: \(snapshot.datasets.count) datasets, \(snapshot.versions.count) versions, "
                + "\(snapshot.aliasHistory.count) alias moves, \(snapshot.events.count) events copied and compared")
        report.datasets = snapshot.datasets.count
        report.versions = snapshot.versions.count
        report.aliasMoves = snapshot.aliasHistory.count
        report.events = snapshot.events.count
        return report
    }

    /// The snapshot without what each store assigns by itself (row ids).
    static func comparable(_ snapshot: RegistrySnapshot) -> RegistrySnapshot {
        var result = snapshot
        for index in result.versions.indices { result.versions[index].rowID = 0 }
        return result
    }
}
