import NIOCore
import ServiceKit
import Wire

/// Identifies an upload: ids are per server, but only the connection that began one may use it.
struct UploadKey: Hashable, Sendable {
    /// The connection.
    var connectionID: UInt64
    /// The upload id handed out by BlobUploadBegin.
    var uploadID: UInt64
}

/// An upload in progress: the store's temporary blob and what the client announced.
struct PendingUpload: Sendable {
    /// The store's chunked upload.
    var upload: BlobUpload
    /// The announced size (for a streamed upload: the most it may hold).
    var size: UInt64
    /// The announced SHA-256; nil for a streamed upload (``BlobDigest/unannounced``), whose size and
    /// digest are whatever arrived.
    var digest: BlobDigest?
}

extension RegistryHandler {
    /// BlobUploadBegin: opens a temporary blob in the store. The all-zero digest announces a streamed
    /// upload: `size` is then only a bound, and Commit stores what arrived under its own digest.
    func beginUpload(_ request: BlobUploadBeginRequest, context: WireRequestContext) throws -> WireReply {
        guard request.size <= UInt64(Int64.max) else {
            throw ErrorMessage(code: .limitExceeded, message: "blob size \(request.size) is too large", field: "size")
        }
        let upload = try store.beginUpload(maximumBytes: Int64(request.size))
        let id = nextUploadID.withLockedValue { next -> UInt64 in
            defer { next += 1 }
            return next
        }
        uploads.withLockedValue {
            $0[UploadKey(connectionID: context.connectionID, uploadID: id)] =
                PendingUpload(
                    upload: upload, size: request.size, digest: request.digest == .unannounced ? nil : request.digest)
        }
        return .message(
            BlobUploadBeginResponse(uploadID: id, maxChunkLength: UInt32(WireProtocol.maxBlobChunkLength)),
            allocator: context.allocator)
    }

    /// BlobUploadChunk: appends the bytes at the expected offset.
    func appendChunk(_ request: BlobUploadChunkRequest, context: WireRequestContext) throws -> WireReply {
        let key = UploadKey(connectionID: context.connectionID, uploadID: request.uploadID)
        guard let pending = uploads.withLockedValue({ $0[key] }) else {
            throw ErrorMessage(
                code: .notFound, message: "no upload \(request.uploadID) on this connection", field: "uploadID")
        }
        let have = UInt64(pending.upload.size)
        guard request.offset == have else {
            throw ErrorMessage(code: .conflict, message: "expected offset \(have)", field: "offset")
        }
        guard UInt64(request.data.readableBytes) <= pending.size - have else {
            throw ErrorMessage(
                code: .limitExceeded, message: "chunk runs past the announced size \(pending.size)", field: "data")
        }
        try request.data.withUnsafeReadableBytes { try pending.upload.append(bytes: $0) }
        return .message(BlobUploadChunkResponse(received: UInt64(pending.upload.size)), allocator: context.allocator)
    }

    /// BlobUploadCommit: verifies size and SHA-256 (those announced; a streamed upload has none), then
    /// makes the blob visible (durably).
    func commitUpload(_ request: BlobUploadCommitRequest, context: WireRequestContext) async throws -> WireReply {
        let key = UploadKey(connectionID: context.connectionID, uploadID: request.uploadID)
        guard let pending = uploads.withLockedValue({ $0.removeValue(forKey: key) }) else {
            throw ErrorMessage(
                code: .notFound, message: "no upload \(request.uploadID) on this connection", field: "uploadID")
        }
        let size = UInt64(pending.upload.size)
        guard size == pending.size || pending.digest == nil else {
            pending.upload.abort()
            throw ErrorMessage(
                code: .checksumMismatch, message: "received \(size) bytes; announced \(pending.size)", field: "size")
        }
        let digest = try await pending.upload.commit(expectedSHA256: pending.digest?.hex)
        guard let committed = BlobDigest(hex: digest) else {
            throw ErrorMessage(code: .internal, message: "store returned an invalid digest \(digest)")
        }
        return .message(BlobUploadCommitResponse(digest: committed, size: size), allocator: context.allocator)
    }

    /// BlobDownload: one range of a stored blob, which is verified against its SHA-256 first (a
    /// damaged blob is reported as corrupted, never served).
    func download(_ request: BlobDownloadRequest, context: WireRequestContext) async throws -> WireReply {
        let offset = Int64(clamping: request.offset)
        let range = try await store.blobs.read(request.digest.hex, offset: offset, maxLength: Int(request.maxLength))
        var data = context.allocator.buffer(capacity: range.bytes.count)
        data.writeBytes(range.bytes)
        return .message(
            BlobDownloadResponse(totalSize: UInt64(range.total), offset: request.offset, data: data),
            allocator: context.allocator)
    }
}
