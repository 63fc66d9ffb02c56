import NIOCore

/// BlobUploadChunk request, opcode 0x0021 (wire.md §7.2). State-changing.
///
/// Body: `u64 uploadID`, `u64 offset`, `bytes data (≤ 1 MiB)`. Chunks are sent in order:
/// `offset` must equal the bytes received so far, else `conflict`.
public struct BlobUploadChunkRequest: WireRequestMessage {
    public typealias Response = BlobUploadChunkResponse
    /// 0x0021.
    public static let opcode = Opcode.blobUploadChunk

    /// The upload.
    public var uploadID: UInt64
    /// Offset of `data` in the blob.
    public var offset: UInt64
    /// The chunk.
    public var data: ByteBuffer

    public init(uploadID: UInt64, offset: UInt64, data: ByteBuffer) {
        self.uploadID = uploadID
        self.offset = offset
        self.data = data
    }

    public init(from reader: inout WireReader) throws {
        uploadID = try reader.integer("uploadID")
        offset = try reader.integer("offset")
        data = try reader.bytes("data", maxLength: WireProtocol.maxBlobChunkLength)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(uploadID, offset)
        buffer.writeWireBytes(data)
    }
}
