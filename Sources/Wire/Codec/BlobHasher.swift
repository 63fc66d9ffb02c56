import Crypto
import NIOCore

/// Incremental SHA-256 over byte buffers, for verifying chunked blob transfers (wire.md §7).
///
/// `@unchecked Sendable`: swift-crypto's `SHA256` is a value type (its state is copied with it) that
/// is not yet annotated `Sendable`.
public struct BlobHasher: @unchecked Sendable {
    private var hasher = SHA256()

    /// Creates an empty hasher.
    public init() {}

    /// Adds the readable bytes of `buffer`.
    public mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
    }

    /// The digest of everything added.
    public func finalize() -> BlobDigest {
        BlobDigest(hasher.finalize())
    }
}
