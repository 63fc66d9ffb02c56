/// Where the registry keeps blob bytes, addressed by their SHA-256 (lower-case hex, validated by
/// the caller through `NameRules.normalizedDigest`).
///
/// Two implementations: ``FileBlobStore`` (the embedded default: files in the data directory) and
/// ``S3BlobStore`` (any S3-compatible object store, shared by registry replicas). A write returns
/// only once the blob is durable; every read verifies the bytes against the digest and throws
/// `RegistryError.corrupted` rather than return damaged bytes.
public protocol BlobStorage: Sendable {
    /// Stores `bytes`, whose SHA-256 is `digest`, durably.
    func write(_ bytes: [UInt8], digest: String) async throws
    /// Starts a chunked upload; `BlobUpload.commit` makes the blob durable under its digest.
    func beginUpload(maximumBytes: Int64) throws -> BlobUpload
    /// The blob's bytes, verified. Throws `blobNotFound` when there is none.
    func read(_ digest: String) async throws -> [UInt8]
    /// A range of the blob's bytes and its total size. The whole blob is verified first, unless it
    /// was verified moments ago and is unchanged since.
    func read(_ digest: String, offset: Int64, maxLength: Int) async throws -> (total: Int64, bytes: [UInt8])
    /// Every stored blob, sorted by digest.
    func list() async throws -> [StoredBlob]
    /// Deletes the blob durably; false when there was none.
    func delete(_ digest: String) async throws -> Bool
    /// The engine and where it is, for Health and logs (`files /data`, `S3 bucket/prefix at endpoint`).
    var engine: String { get }
    /// Whether the storage answers, for Health (`nil` when it does; otherwise what is wrong).
    func problem() async -> String?
    /// Releases connections.
    func close() async
}

/// A stored blob as listed by ``BlobStorage/list()``.
public struct StoredBlob: Sendable, Equatable {
    /// Its SHA-256.
    public var digest: String
    /// Its size in bytes.
    public var size: Int64
    /// When it was last written (milliseconds since the epoch).
    public var modifiedMillis: Int64

    /// Creates a listing entry.
    public init(digest: String, size: Int64, modifiedMillis: Int64) {
        self.digest = digest
        self.size = size
        self.modifiedMillis = modifiedMillis
    }
}
