import NIOCore

/// BlobUploadCommit response (wire.md §7.3). Body: `sha256 digest`, `u64 size` of the stored blob.
public struct BlobUploadCommitResponse: WireMessage {
    /// Digest of the stored blob (its id).
    public var digest: BlobDigest
    /// Size of the stored blob.
    public var size: UInt64

    public init(digest: BlobDigest, size: UInt64) {
        self.digest = digest
        self.size = size
    }

    public init(from reader: inout WireReader) throws {
        digest = try BlobDigest.read("digest", from: &reader)
        size = try reader.integer("size")
    }

    public func encode(into buffer: inout ByteBuffer) {
        digest.write(into: &buffer)
        buffer.writeInteger(size)
    }
}
