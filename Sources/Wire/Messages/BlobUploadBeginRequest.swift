import NIOCore

/// BlobUploadBegin request, opcode 0x0020 (wire.md §7.1). State-changing.
///
/// Body: `string name (≤ 1024)`, `u64 size`, `sha256 digest` (32 raw bytes).
public struct BlobUploadBeginRequest: WireRequestMessage {
    public typealias Response = BlobUploadBeginResponse
    /// 0x0020.
    public static let opcode = Opcode.blobUploadBegin

    /// A role-defined name or purpose for the blob (e.g. a dataset name).
    public var name: String
    /// Exact total size in bytes.
    public var size: UInt64
    /// The SHA-256 the finished upload must match.
    public var digest: BlobDigest

    public init(name: String, size: UInt64, digest: BlobDigest) {
        self.name = name
        self.size = size
        self.digest = digest
    }

    public init(from reader: inout WireReader) throws {
        name = try reader.string("name", maxLength: 1024)
        size = try reader.integer("size")
        digest = try BlobDigest.read("digest", from: &reader)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeInteger(size)
        digest.write(into: &buffer)
    }
}
