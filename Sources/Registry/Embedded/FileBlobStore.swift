import ServiceKit

/// The embedded ``BlobStorage``: a ``BlobDirectory`` in the registry's data directory, with every
/// blocking call (fsync, reading and hashing files) run on ``BlockingIO``'s pool.
public final class FileBlobStore: BlobStorage {
    /// The content-addressed files.
    public let directory: BlobDirectory

    /// Opens (creating when needed) the blob files inside `path`.
    public init(directory path: String) throws {
        directory = try BlobDirectory(directory: path)
    }

    /// Stores the bytes durably (temporary file, fsync, rename, directory fsync).
    public func write(_ bytes: [UInt8], digest: String) async throws {
        let directory = directory
        _ = try await BlockingIO.run { try directory.write(bytes, digest: digest) }
    }

    /// Starts a chunked upload spooled in the data directory's `tmp/`.
    public func beginUpload(maximumBytes: Int64) throws -> BlobUpload {
        try directory.beginUpload(maximumBytes: maximumBytes)
    }

    /// The blob's bytes, verified against the digest.
    public func read(_ digest: String) async throws -> [UInt8] {
        let directory = directory
        return try await BlockingIO.run { try directory.read(digest) }
    }

    /// A verified range of the blob.
    public func read(_ digest: String, offset: Int64, maxLength: Int) async throws -> (total: Int64, bytes: [UInt8]) {
        let directory = directory
        let range = try await BlockingIO.run { try directory.read(digest, offset: offset, maxLength: maxLength) }
        return (range.total, range.bytes)
    }

    /// Every stored blob, sorted by digest.
    public func list() async throws -> [StoredBlob] {
        let directory = directory
        return try await BlockingIO.run { try directory.listDetailed() }
    }

    /// Deletes the blob durably.
    public func delete(_ digest: String) async throws -> Bool {
        let directory = directory
        return try await BlockingIO.run { try directory.delete(digest) }
    }

    public var engine: String { "files \(directory.directory)" }

    /// The data directory is local: nothing to report while the process can run.
    public func problem() async -> String? {
        nil
    }

    /// Nothing to release.
    public func close() async {}
}
