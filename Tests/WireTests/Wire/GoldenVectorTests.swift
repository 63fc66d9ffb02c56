import NIOCore
import Testing

@testable import Wire

/// Every message type encodes to, and decodes from, the byte-exact frames in Protocols/vectors.
@Suite("Golden vectors")
struct GoldenVectorTests {
    static let abc = BlobDigest(hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")!

    /// Encodes `message` under `header` and compares with the vector; decodes the vector back.
    func check<M: WireMessage>(_ name: String, _ header: FrameHeader, _ message: M) throws {
        let expected = try GoldenVectors.bytes(name)
        var encoded = ByteBuffer()
        WireFrame.write(message, header: header, into: &encoded)
        #expect(Array(encoded.readableBytesView) == expected, "encode \(name)")

        var input = ByteBuffer(bytes: expected)
        var decoder = WireFrameDecoder()
        let frame = try #require(try decoder.decode(buffer: &input), "decode \(name)")
        #expect(input.readableBytes == 0)
        #expect(frame.header == header, "header \(name)")
        #expect(try M.decode(from: frame.body) == message, "body \(name)")
    }

    func request(_ opcode: Opcode, _ id: UInt32) -> FrameHeader {
        FrameHeader(kind: .request, opcode: opcode, correlationID: id)
    }

    func response(_ opcode: Opcode, _ id: UInt32) -> FrameHeader {
        FrameHeader(kind: .response, opcode: opcode, correlationID: id)
    }

    @Test func handshakeAndDiagnostics() throws {
        try check("hello-request", request(.hello, 1), HelloRequest(clientName: "py", versions: [1], token: "s3cret"))
        try check(
            "hello-response", response(.hello, 1),
            HelloResponse(
                role: "base", version: 1, serverVersion: "0.1.0", maxFrameLength: 16_777_216, maxInFlight: 128,
                maxRows: 100_000, authorized: true))
        try check("ping-request", request(.ping, 7), PingRequest(payload: 0x0102_0304_0506_0708))
        try check("ping-response", response(.ping, 7), PingResponse(payload: 0x0102_0304_0506_0708))
        try check("stats-request", request(.stats, 2), StatsRequest())
        try check(
            "stats-response", response(.stats, 2),
            StatsResponse(
                role: "base", uptimeMillis: 1500, connectionsOpen: 2, connectionsTotal: 3, requestsTotal: 10,
                errorsTotal: 1, bytesIn: 200, bytesOut: 300,
                requestsByOpcode: [.init(opcode: .hello, count: 3), .init(opcode: .ping, count: 7)],
                errorsByCode: [.init(code: .helloRequired, count: 1)]))
        try check("health-request", request(.health, 3), HealthRequest())
        try check("health-response", response(.health, 3), HealthResponse(status: .serving, detail: "ok"))
    }

    @Test func subscriptions() throws {
        try check(
            "subscribe-request", request(.subscribe, 4),
            SubscribeRequest(topics: ["datasets", "models"], fromSequence: 42))
        try check("subscribe-response", response(.subscribe, 4), SubscribeResponse(headSequence: 41))
        try check(
            "event", FrameHeader(kind: .event, opcode: .subscribe, correlationID: 4),
            EventMessage(sequence: 42, topic: "models", payload: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE, 0xEF])))
        try check("unsubscribe-request", request(.unsubscribe, 5), UnsubscribeRequest(subscriptionID: 4))
        try check("unsubscribe-response", response(.unsubscribe, 5), UnsubscribeResponse())
    }

    @Test func errors() throws {
        try check(
            "error", FrameHeader(kind: .error, opcode: .ping, correlationID: 9),
            ErrorMessage(code: .invalidRequest, message: "bad payload", field: "payload"))
        try check(
            "error-connection", FrameHeader(kind: .error, opcode: .none, correlationID: 0),
            ErrorMessage(code: .frameTooLarge, message: "too big"))
    }

    @Test func blobs() throws {
        let abc = Self.abc
        try check(
            "blob-upload-begin-request", request(.blobUploadBegin, 10),
            BlobUploadBeginRequest(name: "data.csv", size: 3, digest: abc))
        try check(
            "blob-upload-begin-response", response(.blobUploadBegin, 10),
            BlobUploadBeginResponse(uploadID: 1, maxChunkLength: 1_048_576))
        try check(
            "blob-upload-chunk-request", request(.blobUploadChunk, 11),
            BlobUploadChunkRequest(uploadID: 1, offset: 0, data: ByteBuffer(string: "abc")))
        try check("blob-upload-chunk-response", response(.blobUploadChunk, 11), BlobUploadChunkResponse(received: 3))
        try check("blob-upload-commit-request", request(.blobUploadCommit, 12), BlobUploadCommitRequest(uploadID: 1))
        try check(
            "blob-upload-commit-response", response(.blobUploadCommit, 12),
            BlobUploadCommitResponse(digest: abc, size: 3))
        try check(
            "blob-download-request", request(.blobDownload, 13),
            BlobDownloadRequest(digest: abc, offset: 1, maxLength: 2))
        try check(
            "blob-download-response", response(.blobDownload, 13),
            BlobDownloadResponse(totalSize: 3, offset: 1, data: ByteBuffer(string: "bc")))
    }

    /// The digest used by the blob vectors is SHA-256("abc") (FIPS 180-2 example), computed here.
    @Test func abcDigestMatchesSHA256() {
        #expect(BlobDigest(hashing: Array("abc".utf8)) == Self.abc)
        #expect(Self.abc.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Every file in Protocols/vectors is exercised above (no orphan, no missing vector).
    @Test func everyVectorFileIsCovered() throws {
        let covered: Set<String> = [
            "hello-request", "hello-response", "ping-request", "ping-response", "stats-request", "stats-response",
            "health-request", "health-response", "subscribe-request", "subscribe-response", "event",
            "unsubscribe-request", "unsubscribe-response", "error", "error-connection",
            "blob-upload-begin-request", "blob-upload-begin-response", "blob-upload-chunk-request",
            "blob-upload-chunk-response", "blob-upload-commit-request", "blob-upload-commit-response",
            "blob-download-request", "blob-download-response",
        ]
        #expect(Set(try GoldenVectors.allNames()) == covered)
    }
}
