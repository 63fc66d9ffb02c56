import NIOCore

/// BlobUploadChunk response (wire.md §7.2). Body: `u64 received` — bytes received so far.
public struct BlobUploadChunkResponse: WireMessage {
    /// Total bytes received for the upload.
    public var received: UInt64

    public init(received: UInt64) { self.received = received }

    public init(from reader: inout WireReader) throws { received = try reader.integer("received") }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(received) }
}
