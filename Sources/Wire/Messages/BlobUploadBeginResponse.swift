import NIOCore

/// BlobUploadBegin response (wire.md §7.1). Body: `u64 uploadID`, `u32 maxChunkLength`.
public struct BlobUploadBeginResponse: WireMessage {
    /// Server-chosen id naming the upload in Chunk and Commit.
    public var uploadID: UInt64
    /// Largest chunk the server accepts (≤ 1 MiB).
    public var maxChunkLength: UInt32

    public init(uploadID: UInt64, maxChunkLength: UInt32) {
        self.uploadID = uploadID
        self.maxChunkLength = maxChunkLength
    }

    public init(from reader: inout WireReader) throws {
        uploadID = try reader.integer("uploadID")
        maxChunkLength = try reader.integer("maxChunkLength")
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(uploadID, maxChunkLength)
    }
}
