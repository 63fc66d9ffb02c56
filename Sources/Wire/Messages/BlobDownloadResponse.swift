import NIOCore

/// BlobDownload response (wire.md §7.4). Body: `u64 totalSize`, `u64 offset`, `bytes data (≤ 1 MiB)`.
/// `data` is empty exactly when `offset ≥ totalSize`.
public struct BlobDownloadResponse: WireMessage {
    /// Size of the whole blob.
    public var totalSize: UInt64
    /// Offset of `data`.
    public var offset: UInt64
    /// The bytes.
    public var data: ByteBuffer

    public init(totalSize: UInt64, offset: UInt64, data: ByteBuffer) {
        self.totalSize = totalSize
        self.offset = offset
        self.data = data
    }

    public init(from reader: inout WireReader) throws {
        totalSize = try reader.integer("totalSize")
        offset = try reader.integer("offset")
        data = try reader.bytes("data", maxLength: WireProtocol.maxBlobChunkLength)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeMultipleIntegers(totalSize, offset)
        buffer.writeWireBytes(data)
    }
}
