import NIOCore

/// BlobDownload request, opcode 0x0023 (wire.md §7.4): one ranged read of a stored blob.
///
/// Body: `sha256 digest`, `u64 offset`, `u32 maxLength (1…1 MiB)`. A client reads a blob with
/// successive (possibly pipelined) ranges and verifies the SHA-256 of the whole.
public struct BlobDownloadRequest: WireRequestMessage {
    public typealias Response = BlobDownloadResponse
    /// 0x0023.
    public static let opcode = Opcode.blobDownload

    /// Which blob.
    public var digest: BlobDigest
    /// Where to start reading.
    public var offset: UInt64
    /// Most bytes to return.
    public var maxLength: UInt32

    public init(digest: BlobDigest, offset: UInt64, maxLength: UInt32) {
        self.digest = digest
        self.offset = offset
        self.maxLength = maxLength
    }

    public init(from reader: inout WireReader) throws {
        digest = try BlobDigest.read("digest", from: &reader)
        offset = try reader.integer("offset")
        maxLength = try reader.integer("maxLength")
        guard maxLength >= 1, maxLength <= UInt32(WireProtocol.maxBlobChunkLength) else {
            throw WireError.lengthOutOfBounds(
                field: "maxLength", length: UInt64(maxLength), limit: WireProtocol.maxBlobChunkLength)
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        digest.write(into: &buffer)
        buffer.writeMultipleIntegers(offset, maxLength)
    }
}
