import PostgresNIO
import ServiceKit
import Wire

extension PostgresMetadataStore {
    /// Every blob the index references, with what references it (`dataset NAME@SHA`,
    /// `model NAME@N`): datasets then model versions, each in insertion order.
    public func referencedBlobs() async throws -> [BlobReference] {
        let logger = logger
        return try await withConnection { connection in
            try await connection.query(
                """
                SELECT 0 AS part, id, 'dataset ' || name || '@' || sha256, sha256 FROM datasets
                UNION ALL SELECT 1, id, 'model ' || name || '@' || version, bundle_sha256 FROM model_versions
                ORDER BY 1, 2
                """, logger: logger
            ).collect().map { row in
                let (_, _, owner, digest) = try row.decode((Int, Int64, String, String).self)
                return BlobReference(owner: owner, digest: digest)
            }
        }
    }

    /// Runs `body` holding the blob lock SHARED on a pooled connection: garbage collection (on any
    /// replica) waits until it ends, and it waits for a collection in progress.
    public func whileWritingBlob<T: Sendable>(_ digest: String, _ body: () async throws -> T) async throws -> T {
        try await blobLock(shared: true).withLock(body)
    }

    /// Runs `body` holding the blob lock EXCLUSIVELY: no blob write is in flight on any replica.
    /// `body` receives an empty set (writers are excluded rather than listed).
    public func whileCollectingGarbage<T: Sendable>(_ body: (Set<String>) async throws -> T) async throws -> T {
        try await blobLock(shared: false).withLock { try await body([]) }
    }

    private func blobLock(shared: Bool) -> PostgresAdvisoryLock {
        PostgresAdvisoryLock(
            client: client, key: PostgresAdvisoryLock.blobKey, shared: shared,
            connectDeadline: PostgresDeadline(
                limit: configuration.operationTimeout, endpoint: location.endpoint, failures: .registry),
            deadline: PostgresDeadline(
                limit: configuration.lockTimeout, endpoint: location.endpoint, failures: .registry), logger: logger)
    }
}
