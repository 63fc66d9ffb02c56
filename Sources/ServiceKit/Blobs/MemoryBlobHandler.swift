import NIOConcurrencyHelpers
import NIOCore
import Wire

/// Serves the common blob-transfer opcodes (wire.md §7) from memory, bounded by a byte budget.
/// The `base` server uses it so that clients can test transfers; roles with real storage
/// implement the same opcodes over their store.
public final class MemoryBlobHandler: WireRequestHandler {
    private struct UploadKey: Hashable {
        var connectionID: UInt64
        var uploadID: UInt64
    }

    private struct Upload {
        var name: String
        var size: UInt64
        var digest: BlobDigest
        var data: ByteBuffer
        var hasher = BlobHasher()
    }

    private struct State {
        var nextUploadID: UInt64 = 1
        var uploads: [UploadKey: Upload] = [:]
        var blobs: [BlobDigest: ByteBuffer] = [:]
        var reservedBytes: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())
    private let budget: UInt64

    /// Creates a handler holding at most `budgetBytes` of uploads and blobs together.
    public init(budgetBytes: Int = 64 * 1024 * 1024) {
        budget = UInt64(max(0, budgetBytes))
    }

    /// Number of stored blobs.
    public var blobCount: Int { state.withLockedValue { $0.blobs.count } }

    /// Blob opcodes; uploads change state.
    public func operation(for opcode: Opcode) -> WireOperation? {
        switch opcode {
        case .blobUploadBegin, .blobUploadChunk, .blobUploadCommit: .write
        case .blobDownload: .read
        default: nil
        }
    }

    /// Answers immediately (memory only).
    public func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        do {
            switch request.opcode {
            case .blobUploadBegin:
                return try begin(BlobUploadBeginRequest.decode(from: request.body), context: context)
            case .blobUploadChunk:
                return try chunk(BlobUploadChunkRequest.decode(from: request.body), context: context)
            case .blobUploadCommit:
                return try commit(BlobUploadCommitRequest.decode(from: request.body), context: context)
            case .blobDownload:
                return try download(BlobDownloadRequest.decode(from: request.body), context: context)
            default:
                return .error(.unknownOpcode, "opcode \(request.opcode.hex) is not a blob opcode")
            }
        } catch let error as WireError {
            return .error(ErrorMessage(code: error.code, message: error.description, field: error.field))
        } catch let error as ErrorMessage {
            return .error(error)
        } catch {
            return .error(.internal, "\(error)")
        }
    }

    /// Drops the connection's unfinished uploads.
    public func connectionClosed(_ connectionID: UInt64) {
        state.withLockedValue { state in
            for (key, upload) in state.uploads where key.connectionID == connectionID {
                state.uploads[key] = nil
                state.reservedBytes -= upload.size
            }
        }
    }

    private func begin(_ request: BlobUploadBeginRequest, context: WireRequestContext) throws -> WireReply {
        let id = try state.withLockedValue { state -> UInt64 in
            guard request.size <= budget &- state.reservedBytes, state.reservedBytes <= budget else {
                throw ErrorMessage(
                    code: .limitExceeded, message: "blob of \(request.size) bytes exceeds the remaining budget",
                    field: "size")
            }
            let id = state.nextUploadID
            state.nextUploadID += 1
            state.reservedBytes += request.size
            let key = UploadKey(connectionID: context.connectionID, uploadID: id)
            state.uploads[key] = Upload(
                name: request.name, size: request.size, digest: request.digest,
                data: context.allocator.buffer(capacity: Int(min(request.size, 1 << 20))))
            return id
        }
        return .message(
            BlobUploadBeginResponse(uploadID: id, maxChunkLength: UInt32(WireProtocol.maxBlobChunkLength)),
            allocator: context.allocator)
    }

    private func chunk(_ request: BlobUploadChunkRequest, context: WireRequestContext) throws -> WireReply {
        let received = try state.withLockedValue { state -> UInt64 in
            let key = UploadKey(connectionID: context.connectionID, uploadID: request.uploadID)
            guard var upload = state.uploads[key] else {
                throw ErrorMessage(
                    code: .notFound, message: "no upload \(request.uploadID) on this connection", field: "uploadID")
            }
            let have = UInt64(upload.data.readableBytes)
            guard request.offset == have else {
                throw ErrorMessage(code: .conflict, message: "expected offset \(have)", field: "offset")
            }
            guard UInt64(request.data.readableBytes) <= upload.size - have else {
                throw ErrorMessage(
                    code: .limitExceeded, message: "chunk runs past the announced size \(upload.size)", field: "data")
            }
            state.uploads[key] = nil  // keep the buffer uniquely referenced while appending
            var data = request.data
            upload.hasher.update(data)
            upload.data.writeBuffer(&data)
            state.uploads[key] = upload
            return UInt64(upload.data.readableBytes)
        }
        return .message(BlobUploadChunkResponse(received: received), allocator: context.allocator)
    }

    private func commit(_ request: BlobUploadCommitRequest, context: WireRequestContext) throws -> WireReply {
        let response = try state.withLockedValue { state -> BlobUploadCommitResponse in
            let key = UploadKey(connectionID: context.connectionID, uploadID: request.uploadID)
            guard let upload = state.uploads.removeValue(forKey: key) else {
                throw ErrorMessage(
                    code: .notFound, message: "no upload \(request.uploadID) on this connection", field: "uploadID")
            }
            let size = UInt64(upload.data.readableBytes)
            let digest = upload.hasher.finalize()
            guard size == upload.size, digest == upload.digest else {
                state.reservedBytes -= upload.size
                throw ErrorMessage(
                    code: .checksumMismatch,
                    message:
                        "received \(size) bytes with SHA-256 \(digest.hex); announced \(upload.size) bytes, \(upload.digest.hex)"
                )
            }
            if state.blobs[digest] != nil {
                state.reservedBytes -= upload.size  // already stored: content addressing
            } else {
                state.blobs[digest] = upload.data
            }
            return BlobUploadCommitResponse(digest: digest, size: size)
        }
        return .message(response, allocator: context.allocator)
    }

    private func download(_ request: BlobDownloadRequest, context: WireRequestContext) throws -> WireReply {
        guard let blob = state.withLockedValue({ $0.blobs[request.digest] }) else {
            throw ErrorMessage(code: .notFound, message: "no blob \(request.digest.hex)", field: "digest")
        }
        let total = UInt64(blob.readableBytes)
        let start = min(request.offset, total)
        let count = Int(min(UInt64(request.maxLength), total - start))
        let slice = blob.getSlice(at: blob.readerIndex + Int(start), length: count) ?? ByteBuffer()
        return .message(
            BlobDownloadResponse(totalSize: total, offset: request.offset, data: slice), allocator: context.allocator)
    }
}
