/// A streamed blob upload (``RegistryClient/upload(chunks:name:maxBytes:onChunk:)``) whose source
/// yielded more than the allowed bytes; nothing was committed.
public struct BlobUploadTooLarge: Error, Sendable, Equatable, CustomStringConvertible {
    /// The limit that was exceeded, in bytes.
    public var limit: UInt64

    public init(limit: UInt64) { self.limit = limit }

    /// `the upload is larger than N bytes`.
    public var description: String { "the upload is larger than \(limit) bytes" }
}
