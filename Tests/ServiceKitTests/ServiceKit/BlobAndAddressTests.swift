import NIOCore
import ServiceKit
import Testing
import Wire

/// In-memory blob transfer through the real server and client, and `HOST:PORT` parsing.
@Suite("Blobs and addresses", .timeLimit(.minutes(1)))
struct BlobAndAddressTests {
    @Test func uploadAndDownloadVerifySHA256() async throws {
        let running = try await RunningServer.start(handler: MemoryBlobHandler(budgetBytes: 8 << 20))
        let client = try await running.client()
        // 2.5 chunks of a simple pattern; digest computed by BlobDigest over the plain array.
        let bytes = (0..<(2 * 1_048_576 + 524_288)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let digest = BlobDigest(hashing: bytes)
        let begin = try await client.send(BlobUploadBeginRequest(name: "p", size: UInt64(bytes.count), digest: digest))
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + Int(begin.maxChunkLength))
            let ack = try await client.send(
                BlobUploadChunkRequest(
                    uploadID: begin.uploadID, offset: UInt64(offset), data: ByteBuffer(bytes: bytes[offset..<end])))
            #expect(ack.received == UInt64(end))
            offset = end
        }
        let done = try await client.send(BlobUploadCommitRequest(uploadID: begin.uploadID))
        #expect(done.digest == digest && done.size == UInt64(bytes.count))

        var downloaded: [UInt8] = []
        while true {
            let part = try await client.send(
                BlobDownloadRequest(digest: digest, offset: UInt64(downloaded.count), maxLength: 700_000))
            downloaded += Array(part.data.readableBytesView)
            if part.data.readableBytes == 0 || UInt64(downloaded.count) >= part.totalSize { break }
        }
        #expect(downloaded == bytes)

        // Out-of-order chunk → conflict; wrong content → checksumMismatch; unknown digest → notFound.
        let second = try await client.send(
            BlobUploadBeginRequest(name: "q", size: 3, digest: BlobDigest(hashing: Array("abc".utf8))))
        await #expect(throws: WireClientError.self) {
            _ = try await client.send(
                BlobUploadChunkRequest(uploadID: second.uploadID, offset: 1, data: ByteBuffer(string: "b")))
        }
        _ = try await client.send(
            BlobUploadChunkRequest(uploadID: second.uploadID, offset: 0, data: ByteBuffer(string: "abd")))
        do {
            _ = try await client.send(BlobUploadCommitRequest(uploadID: second.uploadID))
            Issue.record("mismatching content must be refused")
        } catch let error as WireClientError {
            #expect(error.serverCode == .checksumMismatch)
        }
        do {
            _ = try await client.send(BlobDownloadRequest(digest: BlobDigest(hashing: [1]), offset: 0, maxLength: 10))
            Issue.record("unknown blob must be notFound")
        } catch let error as WireClientError {
            #expect(error.serverCode == .notFound)
        }
        await client.close()
        try await running.stop()
    }

    @Test func listenAddressParsing() {
        #expect(ListenAddress(parsing: "127.0.0.1:7409") == ListenAddress(host: "127.0.0.1", port: 7409))
        #expect(ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(ListenAddress(parsing: "localhost:65535")?.port == 65_535)
        #expect(ListenAddress(parsing: "localhost:65536") == nil)
        #expect(ListenAddress(parsing: ":80") == nil)
        #expect(ListenAddress(parsing: "nohost") == nil)
        #expect(ListenAddress(host: "::1", port: 9).description == "[::1]:9")
    }
}
