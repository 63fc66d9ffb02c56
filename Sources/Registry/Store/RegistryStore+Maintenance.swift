import Wire
import GRDB

extension RegistryStore {
    /// Finds (and unless `dryRun`, deletes) the blobs that no dataset and no model version
    /// references. Blobs modified less than `minimumAgeMillis` ago are left alone (a chunked
    /// upload that is committed but not yet registered looks unreferenced). Runs while no push or
    /// publish can pin a new blob, so it never deletes one that is about to be referenced.
    public func gc(dryRun: Bool, minimumAgeMillis: Int64 = 0) throws -> GCReport {
        let now = Timestamp.nowMillis()
        return try pins.exclusively { pinned in
            let stored = try blobs.list()
            let referenced = try index.read { db in
                Set(try String.fetchAll(db, sql: "SELECT sha256 FROM datasets UNION SELECT bundle_sha256 FROM model_versions"))
            }
            var unreferenced: [String] = []
            var bytes: Int64 = 0
            for digest in stored where !referenced.contains(digest) && !pinned.contains(digest) {
                let path = try blobs.path(for: digest)
                if minimumAgeMillis > 0, let modified = FileSystem.modifiedMillis(path), now - modified < minimumAgeMillis {
                    continue
                }
                unreferenced.append(digest)
                bytes += FileSystem.fileSize(path) ?? 0
            }
            if !dryRun {
                for digest in unreferenced { try blobs.delete(digest) }
                if !unreferenced.isEmpty {
                    logger.info("gc removed unreferenced blobs", metadata: ["blobs": "\(unreferenced.count)", "bytes": "\(bytes)"])
                }
            }
            return GCReport(dryRun: dryRun, unreferenced: unreferenced, bytes: bytes, kept: stored.count - unreferenced.count)
        }
    }

    /// Reads back every blob the index references and returns one line per problem (a missing or
    /// corrupted blob); empty when everything is intact. Meant for crash tests and `fsck`-style
    /// checks, not for the request path.
    public func checkIntegrity() throws -> [String] {
        let referenced = try index.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT 'dataset ' || name || '@' || sha256, sha256 FROM datasets
                    UNION ALL SELECT 'model ' || name || '@' || version, bundle_sha256 FROM model_versions
                    """
            ).map { (try $0.decode(String.self, atIndex: 0), try $0.decode(String.self, atIndex: 1)) }
        }
        var problems: [String] = []
        for (owner, digest) in referenced {
            do {
                _ = try blobs.read(digest)
            } catch let error as RegistryError {
                problems.append("\(owner): \(error)")
            }
        }
        return problems
    }
}
