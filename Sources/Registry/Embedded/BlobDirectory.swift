import ChurnML
import Dispatch
import ServiceKit

/// Content-addressed, checksummed file storage (blocking calls; ``FileBlobStore`` runs them off the
/// cooperative threads for the registry): each blob lives at
/// `DIR/blobs/sha256/ab/abcdef…` (the first two hex characters fan the files out), named by the
/// SHA-256 of its bytes.
///
/// Writes are durable and atomic: bytes go to a fresh file in `DIR/tmp/`, which is fsynced,
/// renamed into place, and the directory fsynced; a crash leaves either no blob or the whole blob
/// (plus, at worst, a stray temporary file that `removeTemporaryFiles` deletes). Reads verify the
/// SHA-256 and throw `RegistryError.corrupted` instead of returning damaged bytes. Only validated
/// hex digests ever become paths.
///
/// Its only mutable state is the thread-safe ``VerifiedBlobs`` memo behind ``read(_:offset:maxLength:)``;
/// concurrent use from many threads is safe (two writers of the same blob both succeed, and the
/// rename leaves one complete copy).
public final class BlobDirectory: Sendable {
    /// The data directory this store lives in.
    public let directory: String
    /// `DIR/blobs/sha256`.
    let blobRoot: String
    /// `DIR/tmp`.
    let temporaryRoot: String
    /// Blobs verified a moment ago (ranged reads hash a blob once per download, not per range).
    private let verified = VerifiedBlobs<FileStamp>()

    /// Opens (creating when needed) the blob store inside `directory`.
    public init(directory: String) throws {
        let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        self.directory = trimmed
        blobRoot = trimmed + "/blobs/sha256"
        temporaryRoot = trimmed + "/tmp"
        try FileSystem.makeDirectory(blobRoot)
        try FileSystem.makeDirectory(temporaryRoot)
    }

    /// The file path of the blob with this digest (which is validated and lower-cased first).
    public func path(for sha256: String) throws -> String {
        let digest = try NameRules.normalizedDigest(sha256)
        return blobRoot + "/" + digest.prefix(2) + "/" + digest
    }

    /// Stores `bytes` durably and returns their SHA-256 (hex). Storing bytes that are already
    /// there does nothing, unless the stored copy is corrupted, in which case it is replaced.
    @discardableResult
    public func write(_ bytes: [UInt8]) throws -> String {
        try write(bytes, digest: SHA256Digest.hex(of: bytes))
    }

    /// `write(_:)` for bytes whose digest the caller has just computed (saves hashing twice).
    @discardableResult
    func write(_ bytes: [UInt8], digest: String) throws -> String {
        let destination = try path(for: digest)
        if FileSystem.isFile(destination), (try? verifiedContents(destination, digest)) != nil {
            return digest
        }
        let temporary = temporaryRoot + "/" + FileSystem.randomName()
        let descriptor = try FileSystem.createExclusive(temporary)
        do {
            try bytes.withUnsafeBytes { try FileSystem.writeAll(descriptor, $0, path: temporary) }
            try FileSystem.sync(descriptor, path: temporary)
        } catch {
            closeDescriptor(descriptor)
            _ = try? FileSystem.remove(temporary)
            throw error
        }
        closeDescriptor(descriptor)
        try install(temporary: temporary, digest: digest)
        return digest
    }

    /// Starts a chunked upload (`append` chunks, then `commit(expectedSHA256:)`), spooled in
    /// `DIR/tmp` and renamed into place on commit. The upload refuses to grow past `maximumBytes`.
    public func beginUpload(maximumBytes: Int64 = Int64.max) throws -> BlobUpload {
        try BlobUpload(spoolDirectory: temporaryRoot, maximumBytes: maximumBytes) { [self] temporary, digest, _ in
            try await BlockingIO.run { try self.install(temporary: temporary, digest: digest) }
        }
    }

    /// The blob's bytes, verified against its digest. Throws `blobNotFound` when there is no such
    /// blob and `corrupted` when its bytes do not hash to its name.
    public func read(_ sha256: String) throws -> [UInt8] {
        let digest = try NameRules.normalizedDigest(sha256)
        let location = try path(for: digest)
        guard FileSystem.isFile(location) else { throw RegistryError.blobNotFound(sha256: digest) }
        return try verifiedContents(location, digest)
    }

    /// A range of the blob's bytes and its total size. The whole blob is verified against its
    /// digest first, unless it was verified within the last minute and its file is unchanged since
    /// (``VerifiedBlobs``), so a download in 1 MiB ranges hashes the blob once. Throws like
    /// ``read(_:)``.
    public func read(_ sha256: String, offset: Int64, maxLength: Int) throws -> (total: Int64, bytes: [UInt8]) {
        let digest = try NameRules.normalizedDigest(sha256)
        let location = try path(for: digest)
        guard let stamp = FileStamp(path: location) else { throw RegistryError.blobNotFound(sha256: digest) }
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if verified.isVerified(digest, stamp: stamp, now: now) {
            return (stamp.size, try FileSystem.readRange(location, offset: offset, maxLength: maxLength))
        }
        let bytes = try verifiedContents(location, digest)
        verified.record(digest, stamp: stamp, now: now)
        let start = Int(min(max(0, offset), Int64(bytes.count)))
        let end = start + min(max(0, maxLength), bytes.count - start)
        return (Int64(bytes.count), Array(bytes[start..<end]))
    }

    /// True when a blob with this digest is stored (its content is not checked).
    public func exists(_ sha256: String) throws -> Bool {
        FileSystem.isFile(try path(for: sha256))
    }

    /// The stored size in bytes of the blob, or nil when there is none.
    public func size(of sha256: String) throws -> Int64? {
        FileSystem.fileSize(try path(for: sha256))
    }

    /// Deletes the blob durably. Returns false when there was none.
    @discardableResult
    public func delete(_ sha256: String) throws -> Bool {
        let location = try path(for: sha256)
        guard try FileSystem.remove(location) else { return false }
        if let slash = location.lastIndex(of: "/") {
            try FileSystem.syncDirectory(String(location[..<slash]))
        }
        return true
    }

    /// Every stored blob with its size and modification time, sorted by digest.
    func listDetailed() throws -> [StoredBlob] {
        try list().map { digest in
            let path = try path(for: digest)
            return StoredBlob(
                digest: digest, size: FileSystem.fileSize(path) ?? 0,
                modifiedMillis: FileSystem.modifiedMillis(path) ?? 0)
        }
    }

    /// The digests of every stored blob, sorted. Files that are not named like blobs are ignored.
    public func list() throws -> [String] {
        var digests: [String] = []
        for fan in try FileSystem.list(blobRoot).sorted() where fan.utf8.count == 2 {
            for name in try FileSystem.list(blobRoot + "/" + fan) {
                guard let digest = try? NameRules.normalizedDigest(name), digest == name, digest.hasPrefix(fan) else {
                    continue
                }
                digests.append(digest)
            }
        }
        return digests.sorted()
    }

    /// Deletes every file left in `DIR/tmp` (unfinished uploads of a process that died). Call it
    /// only when no upload is in progress, e.g. when opening the store. Returns how many it removed.
    @discardableResult
    public func removeTemporaryFiles() throws -> Int {
        var removed = 0
        for name in try FileSystem.list(temporaryRoot) where try FileSystem.remove(temporaryRoot + "/" + name) {
            removed += 1
        }
        return removed
    }

    /// Renames a complete, fsynced temporary file into its content address and makes the new
    /// directory entries durable.
    func install(temporary: String, digest: String) throws {
        let fanDirectory = blobRoot + "/" + digest.prefix(2)
        if try FileSystem.makeDirectory(fanDirectory) {
            try FileSystem.syncDirectory(blobRoot)
        }
        do {
            try FileSystem.moveDurably(temporary, to: fanDirectory + "/" + digest)
        } catch {
            _ = try? FileSystem.remove(temporary)  // gone already when only the directory fsync failed
            throw error
        }
    }

    private func verifiedContents(_ location: String, _ digest: String) throws -> [UInt8] {
        let bytes = try FileSystem.readFile(location)
        guard SHA256Digest.hex(of: bytes) == digest else { throw RegistryError.corrupted(sha256: digest) }
        return bytes
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Closes a descriptor, ignoring errors (used on paths that already failed or already synced).
func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
