import ChurnML
import Dispatch
import Foundation

/// ``BlobStorage`` in an S3-compatible object store, shared by registry replicas: each blob is the
/// object `PREFIX/blobs/sha256/ab/abcdef…` (the first two hex characters fan the keys out, as in
/// the file store), named by the SHA-256 of its bytes.
///
/// Writes always PUT, even when the object exists: a PUT refreshes `Last-Modified`, which garbage
/// collection's grace period relies on. A PUT is atomic in S3 (readers see the old object or the
/// new one), so a crash leaves no partial blob. Chunked uploads spool to a local directory and are
/// uploaded on commit (multipart above the client's threshold, one part in memory at a time).
/// Reads verify the SHA-256 and throw `RegistryError.corrupted` rather than return damaged bytes;
/// ranged reads verify the whole object once and then, for a minute, serve ranged GETs whose ETag
/// must still be the verified one.
public final class S3BlobStore: BlobStorage {
    /// The object store client (shut it down with ``shutdown()``).
    let client: S3Client
    /// Where chunked uploads are spooled before they are uploaded.
    let spoolDirectory: String
    /// `PREFIX/blobs/sha256/`: every blob key starts with it.
    let blobPrefix: String
    /// Blobs verified a moment ago, with the ETag and size they had.
    private let verified = VerifiedBlobs<S3ObjectStamp>()

    /// A store over `client`'s location. `spoolDirectory` defaults to a fresh directory under the
    /// system's temporary directory; it is created when missing.
    init(client: S3Client, spoolDirectory: String? = nil) throws {
        self.client = client
        let spool = spoolDirectory ?? (NSTemporaryDirectory() + "/churn-s3-spool-" + FileSystem.randomName())
        let trimmed = spool.count > 1 && spool.hasSuffix("/") ? String(spool.dropLast()) : spool
        self.spoolDirectory = trimmed
        try FileSystem.makeDirectory(trimmed)
        blobPrefix = client.location.key("blobs/sha256/")
    }

    /// Opens the store at `url` (`s3://BUCKET/PREFIX?endpoint=…&region=…`), signing with the keys in
    /// `accessKeyFile` and `secretKeyFile` when given, else with `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`). Nothing is contacted yet.
    public static func open(
        url: String, accessKeyFile: String? = nil, secretKeyFile: String? = nil, spoolDirectory: String? = nil
    ) throws -> S3BlobStore {
        let location = try S3Location(url)
        let credentials: S3Credentials
        switch (accessKeyFile, secretKeyFile) {
        case (let access?, let secret?): credentials = try S3Credentials(accessKeyFile: access, secretKeyFile: secret)
        case (nil, nil): credentials = try S3Credentials.fromEnvironment()
        default:
            throw RegistryError.invalidArgument("give both the access key file and the secret key file, or neither")
        }
        return try S3BlobStore(
            client: S3Client(location: location, credentials: credentials), spoolDirectory: spoolDirectory)
    }

    /// The bucket and prefix, and the endpoint.
    public var engine: String {
        "S3 \(client.location)"
    }

    /// Shuts the client down.
    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Shuts the client down.
    public func close() async {
        try? await client.shutdown()
    }

    /// The object key of the blob with this digest (validated and lower-cased first).
    func key(for sha256: String) throws -> String {
        let digest = try NameRules.normalizedDigest(sha256)
        return blobPrefix + digest.prefix(2) + "/" + digest
    }

    /// PUTs the bytes (always, refreshing `Last-Modified` when the blob exists).
    public func write(_ bytes: [UInt8], digest: String) async throws {
        try await client.putObject(key: try key(for: digest), bytes: bytes)
    }

    /// Starts a chunked upload spooled to ``spoolDirectory``; its commit uploads the file.
    public func beginUpload(maximumBytes: Int64) throws -> BlobUpload {
        let client = client
        let prefix = blobPrefix
        return try BlobUpload(spoolDirectory: spoolDirectory, maximumBytes: maximumBytes) { path, digest, size in
            try await client.putFile(key: prefix + digest.prefix(2) + "/" + digest, path: path, size: size)
        }
    }

    /// GETs the blob and verifies it.
    public func read(_ sha256: String) async throws -> [UInt8] {
        let digest = try NameRules.normalizedDigest(sha256)
        return try await verifiedObject(digest).bytes
    }

    /// A range of the blob and its total size; see the type's description for when it is verified.
    public func read(_ sha256: String, offset: Int64, maxLength: Int) async throws -> (total: Int64, bytes: [UInt8]) {
        let digest = try NameRules.normalizedDigest(sha256)
        let start = max(0, offset)
        let length = Int64(max(0, maxLength))
        if let stamp = verified.verifiedStamp(digest, now: Self.now()) {
            guard start < stamp.size, length > 0 else { return (stamp.size, []) }
            let range = start...(min(start + length, stamp.size) - 1)
            guard let object = try await client.getObject(key: try key(for: digest), range: range) else {
                throw RegistryError.blobNotFound(sha256: digest)
            }
            if object.etag == stamp.etag && object.totalSize == stamp.size {
                return (object.totalSize, object.bytes)
            }
            // Replaced since it was verified: verify the new object before serving from it.
        }
        let object = try await verifiedObject(digest)
        let bytes = object.bytes
        verified.record(digest, stamp: S3ObjectStamp(etag: object.etag, size: Int64(bytes.count)), now: Self.now())
        let from = Int(min(start, Int64(bytes.count)))
        let to = from + Int(min(length, Int64(bytes.count - from)))
        return (Int64(bytes.count), Array(bytes[from..<to]))
    }

    /// Every blob under the prefix, sorted by digest; keys that are not `ab/<digest starting ab>`
    /// are ignored.
    public func list() async throws -> [StoredBlob] {
        var blobs: [StoredBlob] = []
        for object in try await client.listAllObjects(prefix: blobPrefix) {
            let relative = object.key.dropFirst(blobPrefix.count)
            let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].utf8.count == 2,
                let digest = try? NameRules.normalizedDigest(String(parts[1])),
                digest == parts[1], digest.hasPrefix(parts[0])
            else { continue }
            blobs.append(StoredBlob(digest: digest, size: object.size, modifiedMillis: object.lastModifiedMillis))
        }
        return blobs.sorted { $0.digest < $1.digest }
    }

    /// Deletes the blob; false when there was none.
    public func delete(_ sha256: String) async throws -> Bool {
        let key = try key(for: sha256)
        guard try await client.headObject(key: key) != nil else { return false }
        try await client.deleteObject(key: key)
        return true
    }

    /// nil when the bucket answers a HEAD; otherwise why not, in one line. Bounded to a few seconds.
    public func problem() async -> String? {
        do {
            try await client.headBucket(timeout: .seconds(4))
            return nil
        } catch let error as RegistryError {
            return error.description
        } catch {
            return "object store \(client.location.endpointURL): \(S3Client.describe(error))"
        }
    }

    /// The whole object, verified against `digest`, with its ETag.
    private func verifiedObject(_ digest: String) async throws -> S3Client.Object {
        guard let object = try await client.getObject(key: try key(for: digest)) else {
            throw RegistryError.blobNotFound(sha256: digest)
        }
        guard SHA256Digest.hex(of: object.bytes) == digest else { throw RegistryError.corrupted(sha256: digest) }
        return object
    }

    /// Monotonic seconds, for the verification memo.
    private static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
