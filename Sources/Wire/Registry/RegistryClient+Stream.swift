import NIOCore

/// What a streamed upload stored.
public struct StreamedBlob: Sendable, Equatable {
    /// SHA-256 (hex) of the bytes, as the server computed it and the client checked.
    public var sha256: String
    /// Bytes stored.
    public var size: UInt64

    public init(sha256: String, size: UInt64) {
        self.sha256 = sha256
        self.size = size
    }
}

extension RegistryClient {
    /// Uploads the bytes of `chunks` as they arrive, without holding them all: BlobUploadBegin with
    /// the ``BlobDigest/unannounced`` digest and `maxBytes` as the size bound, then one BlobUploadChunk
    /// each time a full chunk (the server's `maxChunkLength`, 1 MiB) has arrived and the last partial one
    /// at the end, each awaited before more is read (so a slow registry slows the source down), and
    /// BlobUploadCommit. The bytes are hashed on the way and the digest the server committed must
    /// match (else ``WireClientError/blobMismatch(_:)``).
    ///
    /// Memory: at most one chunk plus the source's current element. More than `maxBytes` bytes throws
    /// ``BlobUploadTooLarge`` before they are sent; an error from `chunks` is rethrown. Either way
    /// nothing is committed: the server keeps the partial upload until this connection closes, so use
    /// a connection of its own and close it afterwards. `onChunk` is called with the bytes the server
    /// has received after every chunk.
    public func upload<Chunks: AsyncSequence>(
        chunks: Chunks, name: String, maxBytes: UInt64, onChunk: (UInt64) -> Void = { _ in }
    ) async throws -> StreamedBlob where Chunks.Element == ByteBuffer {
        let begin = try await wire.send(BlobUploadBeginRequest(name: name, size: maxBytes, digest: .unannounced))
        let chunkLength = max(1, min(Int(begin.maxChunkLength), WireProtocol.maxBlobChunkLength))
        var hasher = BlobHasher()
        var pending = ByteBufferAllocator().buffer(capacity: chunkLength)
        var sent: UInt64 = 0
        var total: UInt64 = 0
        func send(_ data: ByteBuffer) async throws {
            let answer = try await wire.send(BlobUploadChunkRequest(uploadID: begin.uploadID, offset: sent, data: data))
            sent += UInt64(data.readableBytes)
            guard answer.received == sent else {
                throw WireClientError.blobMismatch(
                    "the server has \(answer.received) bytes of upload \(begin.uploadID), sent \(sent)")
            }
            onChunk(answer.received)
        }
        for try await incoming in chunks {
            var buffer = incoming
            total += UInt64(buffer.readableBytes)
            guard total <= maxBytes else { throw BlobUploadTooLarge(limit: maxBytes) }
            hasher.update(buffer)
            while buffer.readableBytes > 0 {
                let take = min(buffer.readableBytes, chunkLength - pending.readableBytes)
                if var slice = buffer.readSlice(length: take) { pending.writeBuffer(&slice) }
                if pending.readableBytes == chunkLength {
                    try await send(pending)
                    pending.clear()
                }
            }
        }
        if pending.readableBytes > 0 { try await send(pending) }
        let commit = try await wire.send(BlobUploadCommitRequest(uploadID: begin.uploadID))
        let digest = hasher.finalize()
        guard commit.digest == digest, commit.size == total else {
            throw WireClientError.blobMismatch(
                "server committed \(commit.digest.hex) (\(commit.size) bytes), sent \(digest.hex) (\(total) bytes)")
        }
        return StreamedBlob(sha256: digest.hex, size: total)
    }
}
