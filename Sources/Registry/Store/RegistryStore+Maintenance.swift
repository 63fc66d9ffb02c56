import Wire

extension RegistryStore {
    /// Finds (and unless `dryRun`, deletes) the blobs that no dataset and no model version
    /// references. Blobs written less than `minimumAgeMillis` ago are left alone (a chunked
    /// upload that is committed but not yet registered looks unreferenced). Runs while no push or
    /// publish — on this or, with PostgreSQL, any replica — is between storing a blob and indexing
    /// it, so it never deletes one that is about to be referenced.
    public func gc(dryRun: Bool, minimumAgeMillis: Int64 = 0) async throws -> GCReport {
        let now = Timestamp.nowMillis()
        return try await metadata.whileCollectingGarbage { pinned in
            let stored = try await blobs.list()
            let referenced = Set(try await metadata.referencedBlobs().map(\.digest))
            var unreferenced: [String] = []
            var bytes: Int64 = 0
            for blob in stored where !referenced.contains(blob.digest) && !pinned.contains(blob.digest) {
                if minimumAgeMillis > 0, now - blob.modifiedMillis < minimumAgeMillis { continue }
                unreferenced.append(blob.digest)
                bytes += blob.size
            }
            if !dryRun {
                for digest in unreferenced { _ = try await blobs.delete(digest) }
                if !unreferenced.isEmpty {
                    logger.info(
                        "gc removed unreferenced blobs",
                        metadata: ["blobs": "\(unreferenced.count)", "bytes": "\(bytes)"])
                }
            }
            return GCReport(
                dryRun: dryRun, unreferenced: unreferenced, bytes: bytes, kept: stored.count - unreferenced.count)
        }
    }

    /// Reads back every blob the index references and returns one line per problem (a missing or
    /// corrupted blob); empty when everything is intact. Meant for crash tests and `fsck`-style
    /// checks, not for the request path.
    public func checkIntegrity() async throws -> [String] {
        var problems: [String] = []
        for reference in try await metadata.referencedBlobs() {
            do {
                _ = try await blobs.read(reference.digest)
            } catch let error as RegistryError {
                problems.append("\(reference.owner): \(error)")
            }
        }
        return problems
    }
}
