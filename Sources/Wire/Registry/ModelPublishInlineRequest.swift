import NIOCore

/// 0x011C ModelPublishInline (write): publishes a small bundle in ONE request — the ModelPublish
/// document followed by the bundle's bytes — instead of BlobUploadBegin/Chunk/Commit + ModelPublish.
///
/// Body: `bytes json` (a ``ModelPublishRequest`` document whose `sha256` is the bundle's SHA-256),
/// then `bytes bundle` (at most ``maxBundleLength``). The server checks the digest, stores the blob
/// durably and commits the version in one step; the answer is a ``JSONDocument`` holding the
/// ``ModelVersion``. One round trip and one hop onto the registry's I/O queue instead of four is
/// what keeps a small publish's p99 low (wire.md §12).
public struct ModelPublishInlineRequest: WireMessage {
    /// Largest bundle sent inline (larger ones use the chunked blob upload).
    public static let maxBundleLength = WireProtocol.maxBlobChunkLength

    /// The ModelPublish document; its `sha256` must be the SHA-256 of `bundle`.
    public var document: JSONDocument
    /// The bundle file's bytes.
    public var bundle: ByteBuffer

    /// Creates the request from a ModelPublish request and the bundle's bytes.
    public init(publish: ModelPublishRequest, bundle: ByteBuffer) throws {
        document = try JSONDocument(encoding: publish)
        self.bundle = bundle
    }

    /// The ModelPublish request the document holds (a malformed one throws `invalidRequest`).
    public func publishRequest() throws -> ModelPublishRequest {
        try document.decode(ModelPublishRequest.self)
    }

    public init(from reader: inout WireReader) throws {
        document = try JSONDocument(from: &reader)
        bundle = try reader.bytes("bundle", maxLength: Self.maxBundleLength)
    }

    public func encode(into buffer: inout ByteBuffer) {
        document.encode(into: &buffer)
        buffer.writeWireBytes(bundle)
    }
}
