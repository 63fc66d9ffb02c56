import ChurnML
import Foundation
import Testing

@testable import Registry

/// S3BlobStore and S3Client against a real S3 server (SeaweedFS, from scripts/engines/start-s3.sh).
/// Expected values are computed here from the test's own bytes (SHA-256 through ChurnML, slices of
/// the source arrays), never taken from the code under test.
@Suite("S3 blob storage against a real server", .enabled(if: S3TestServer.isConfigured))
struct S3BlobStoreTests {
    @Test("a request signed with the wrong secret is refused with 403 SignatureDoesNotMatch")
    func wrongSecretRefused() async throws {
        // Control: the right secret is accepted (bucket creation and a PUT succeed).
        let good = try await S3TestServer.client()
        let prefix = good.location.prefix
        try await good.putObject(key: good.location.key("probe"), bytes: Array("x".utf8))
        try await good.shutdown()

        var wrong = S3TestServer.credentials
        wrong.secretAccessKey = String(wrong.secretAccessKey.reversed()) + "x"
        let bad = try await S3TestServer.client(prefix: prefix, credentials: wrong, createBucket: false)
        do {
            _ = try await bad.send(
                .GET, key: bad.location.key("probe"), payloadHash: SigV4Signer.emptyPayloadHash, operation: "GET")
            Issue.record("a request with the wrong secret was accepted")
        } catch let error as RegistryError {
            // The raw answer: status 403, code SignatureDoesNotMatch (checked via the mapped error,
            // whose text says both).
            #expect(
                error
                    == .io(
                        path: "s3://\(S3TestServer.bucket)/\(prefix)/probe",
                        reason: "the object store refused the signature (check the access key and secret)"))
        }
        // And the same refusal arrives through every path, e.g. a PUT.
        await #expect(throws: RegistryError.self) {
            try await bad.putObject(key: bad.location.key("other"), bytes: [1])
        }
        try await bad.shutdown()
    }

    @Test("put then read returns the bytes; the object sits at PREFIX/blobs/sha256/ab/<digest>")
    func roundTrip() async throws {
        try await S3TestServer.withStore { store, client, _ in
            let bytes = S3TestServer.randomBytes(100_000)
            let digest = SHA256Digest.hex(of: bytes)
            try await store.write(bytes, digest: digest)
            #expect(try await store.read(digest) == bytes)
            #expect(try await store.read(digest.uppercased()) == bytes)
            let key = "\(client.location.prefix)/blobs/sha256/\(digest.prefix(2))/\(digest)"
            let info = try #require(try await client.headObject(key: key))
            #expect(info.size == 100_000)
            #expect(abs(info.lastModifiedMillis - Int64(Date().timeIntervalSince1970 * 1000)) < 600_000)

            let empty = SHA256Digest.hex(of: [])
            try await store.write([], digest: empty)
            #expect(try await store.read(empty) == [])

            let missing = SHA256Digest.hex(of: Array("never written".utf8))
            await #expect(throws: RegistryError.blobNotFound(sha256: missing)) { try await store.read(missing) }
            await #expect(throws: RegistryError.blobNotFound(sha256: missing)) {
                try await store.read(missing, offset: 0, maxLength: 10)
            }
            await #expect(throws: RegistryError.invalidDigest("nope")) { try await store.read("nope") }
        }
    }

    @Test("an object whose bytes were replaced reads as corrupted, whole and ranged, also after a verified ranged read")
    func corrupted() async throws {
        try await S3TestServer.withStore { store, client, _ in
            let bytes = S3TestServer.randomBytes(4096)
            let digest = SHA256Digest.hex(of: bytes)
            try await store.write(bytes, digest: digest)
            // A ranged read verifies the blob and remembers its ETag.
            let first = try await store.read(digest, offset: 10, maxLength: 20)
            #expect(first.total == 4096 && first.bytes == Array(bytes[10..<30]))

            var damaged = bytes
            damaged[100] ^= 0xff
            try await client.putObject(key: try store.key(for: digest), bytes: damaged)

            await #expect(throws: RegistryError.corrupted(sha256: digest)) { try await store.read(digest) }
            // The remembered ETag no longer matches, so the range is not served from the new bytes.
            await #expect(throws: RegistryError.corrupted(sha256: digest)) {
                try await store.read(digest, offset: 0, maxLength: 10)
            }
        }
    }

    @Test("ranged reads over a multipart-uploaded blob return exactly the source bytes")
    func multipartRanges() async throws {
        let part: Int64 = 5 << 20
        try await S3TestServer.withStore(multipartThreshold: part, partSize: part) { store, client, spool in
            let bytes = S3TestServer.randomBytes(6 << 20 + 12345)
            let digest = SHA256Digest.hex(of: bytes)
            let upload = try store.beginUpload(maximumBytes: Int64(bytes.count))
            for start in stride(from: 0, to: bytes.count, by: 1 << 20) {
                try upload.append(Array(bytes[start..<min(start + (1 << 20), bytes.count)]))
            }
            #expect(try await upload.commit(expectedSHA256: digest) == digest)
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)

            // It really went up in parts: S3 multipart ETags end in -<part count>.
            let info = try #require(try await client.headObject(key: try store.key(for: digest)))
            #expect(info.size == Int64(bytes.count))
            #expect(info.etag.hasSuffix("-2\""), "ETag \(info.etag)")

            let total = Int64(bytes.count)
            let boundary = Int(part)
            let cases: [(offset: Int, length: Int)] = [
                (0, 1 << 20),  // first read: whole blob verified, slice returned
                (boundary - 100, 300),  // across the part boundary (ranged GET)
                (boundary, 1 << 20),  // second part only
                (bytes.count - 50, 1 << 20),  // runs past the end: the rest
                (12_345, 1),
                (bytes.count, 10),  // at the end: nothing
                (bytes.count + 99, 10),  // past the end: nothing
                (77, 0),  // zero length
            ]
            for (offset, length) in cases {
                let range = try await store.read(digest, offset: Int64(offset), maxLength: length)
                let from = min(offset, bytes.count)
                let to = min(from + length, bytes.count)
                #expect(range.total == total)
                #expect(range.bytes == Array(bytes[from..<to]), "offset \(offset) length \(length)")
            }
            #expect(try await store.read(digest) == bytes)
        }
    }

    @Test("list returns exactly the blobs written, sorted, with sizes; other keys are ignored; pages are followed")
    func list() async throws {
        try await S3TestServer.withStore { store, client, _ in
            var written: [(digest: String, size: Int64)] = []
            for size in [0, 1, 700, 33_000, 5] {
                let bytes = S3TestServer.randomBytes(size)
                let digest = SHA256Digest.hex(of: bytes)
                try await store.write(bytes, digest: digest)
                written.append((digest, Int64(size)))
            }
            let prefix = client.location.prefix
            let stray = SHA256Digest.hex(of: Array("stray".utf8))
            for junk in [
                "\(prefix)/blobs/sha256/zz/not-a-digest",
                "\(prefix)/blobs/sha256/\(stray.prefix(2) == "00" ? "01" : "00")/\(stray)",  // wrong fan-out directory
                "\(prefix)/blobs/sha256/\(stray.prefix(2))/\(stray)/extra",
                "\(prefix)/blobs/sha256/\(stray.uppercased().prefix(2))/\(stray.uppercased())",
                "\(prefix)/elsewhere/\(stray)",
            ] {
                try await client.putObject(key: junk, bytes: [1, 2, 3])
            }
            let listed = try await store.list()
            let expected = written.sorted { $0.digest < $1.digest }
            #expect(listed.map(\.digest) == expected.map(\.digest))
            #expect(listed.map(\.size) == expected.map(\.size))
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            #expect(listed.allSatisfy { abs($0.modifiedMillis - now) < 600_000 })

            // Continuation tokens: two keys a page gives the same keys as one big page.
            let paged = try await client.listAllObjects(prefix: prefix + "/", pageSize: 2)
            let whole = try await client.listAllObjects(prefix: prefix + "/")
            #expect(paged.map(\.key) == whole.map(\.key))
            #expect(whole.count == written.count + 5)
        }
    }

    @Test("a second write of the same blob PUTs again and refreshes Last-Modified")
    func rewriteRefreshes() async throws {
        try await S3TestServer.withStore { store, client, _ in
            let bytes = S3TestServer.randomBytes(10)
            let digest = SHA256Digest.hex(of: bytes)
            try await store.write(bytes, digest: digest)
            let before = try #require(try await client.headObject(key: try store.key(for: digest)))
            try await Task.sleep(for: .milliseconds(1100))  // Last-Modified has one-second resolution
            try await store.write(bytes, digest: digest)
            let after = try #require(try await client.headObject(key: try store.key(for: digest)))
            #expect(after.lastModifiedMillis > before.lastModifiedMillis)
        }
    }

    @Test("delete removes the blob; deleting again says there was none")
    func delete() async throws {
        try await S3TestServer.withStore { store, _, _ in
            let bytes = S3TestServer.randomBytes(321)
            let digest = SHA256Digest.hex(of: bytes)
            try await store.write(bytes, digest: digest)
            #expect(try await store.delete(digest) == true)
            await #expect(throws: RegistryError.blobNotFound(sha256: digest)) { try await store.read(digest) }
            #expect(try await store.delete(digest) == false)
            #expect(try await store.list().isEmpty)
        }
    }

    @Test("a chunked upload with the wrong expected digest is refused and leaves no object and no spool file")
    func uploadWrongDigest() async throws {
        try await S3TestServer.withStore { store, client, spool in
            let bytes = S3TestServer.randomBytes(50_000)
            let actual = SHA256Digest.hex(of: bytes)
            let claimed = SHA256Digest.hex(of: Array("something else".utf8))
            let upload = try store.beginUpload(maximumBytes: 1 << 20)
            try upload.append(Array(bytes[..<20_000]))
            try upload.append(Array(bytes[20_000...]))
            #expect(upload.size == 50_000)
            await #expect(throws: RegistryError.digestMismatch(expected: claimed, actual: actual)) {
                try await upload.commit(expectedSHA256: claimed)
            }
            #expect(try await client.headObject(key: try store.key(for: actual)) == nil)
            #expect(try await client.headObject(key: try store.key(for: claimed)) == nil)
            #expect(try await store.list().isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool).isEmpty)

            // The same bytes with no announced digest go in under their own.
            let streamed = try store.beginUpload(maximumBytes: 1 << 20)
            try streamed.append(bytes)
            #expect(try await streamed.commit(expectedSHA256: nil) == actual)
            #expect(try await store.read(actual) == bytes)
        }
    }

    @Test("problem() is nil when the store is up, and a prompt one-line reason when nothing listens")
    func problem() async throws {
        try await S3TestServer.withStore { store, _, _ in
            #expect(await store.problem() == nil)
        }

        let port = S3TestServer.freePort()
        let dead = try await S3TestServer.client(endpoint: "http://127.0.0.1:\(port)", createBucket: false)
        let spool = try TemporaryDirectory()
        defer { spool.remove() }
        let deadStore = try S3BlobStore(client: dead, spoolDirectory: spool.path + "/dead")
        let started = ContinuousClock.now
        let reason = await deadStore.problem()
        let elapsed = ContinuousClock.now - started
        try await dead.shutdown()
        let text = try #require(reason)
        #expect(text.contains("127.0.0.1:\(port)"), "\(text)")
        #expect(text.hasPrefix("storage unavailable: cannot reach the object store"), "\(text)")
        #expect(!text.contains("\n"))
        #expect(elapsed < .seconds(5), "problem() took \(elapsed)")

        // A missing bucket is named.
        let noBucket = try S3BlobStore(
            client: S3Client(
                location: try S3Location(
                    "s3://churn-missing-\(UUID().uuidString.prefix(8).lowercased())?endpoint=\(S3TestServer.endpoint)"),
                credentials: S3TestServer.credentials),
            spoolDirectory: spool.path + "/missing")
        let missing = try #require(await noBucket.problem())
        #expect(missing.contains("does not exist"), "\(missing)")
        try await noBucket.shutdown()
    }
}
