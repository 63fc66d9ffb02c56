import NIOCore

/// BlobUploadCommit request, opcode 0x0022 (wire.md §7.3). State-changing.
///
/// Body: `u64 uploadID`. The server checks size and SHA-256 against Begin; a mismatch answers
/// `checksumMismatch` and discards the upload.
public struct BlobUploadCommitRequest: WireRequestMessage {
    public typealias Response = BlobUploadCommitResponse
    /// 0x0022.
    public static let opcode = Opcode.blobUploadCommit

    /// The upload.
    public var uploadID: UInt64

    public init(uploadID: UInt64) { self.uploadID = uploadID }

    public init(from reader: inout WireReader) throws { uploadID = try reader.integer("uploadID") }

    public func encode(into buffer: inout ByteBuffer) { buffer.writeInteger(uploadID) }
}
