import Foundation
import Testing

@testable import Registry

@Suite("Blob store")
struct BlobStoreTests {
    /// SHA-256("abc"), the FIPS 180-2 test vector.
    static let abcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test("write stores the bytes under blobs/sha256/ab/<digest> and reads them back")
    func writeRead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let digest = try store.write(Array("abc".utf8))
        #expect(digest == Self.abcDigest)
        let expectedPath = directory.path + "/blobs/sha256/ba/" + Self.abcDigest
        #expect(try store.path(for: digest) == expectedPath)
        #expect(FileManager.default.contents(atPath: expectedPath) == Data("abc".utf8))
        #expect(try store.read(digest) == Array("abc".utf8))
        #expect(try store.read(digest.uppercased()) == Array("abc".utf8))
        #expect(try store.exists(digest))
        #expect(try store.size(of: digest) == 3)
    }

    @Test("writing the same bytes twice keeps one blob; an empty blob works")
    func idempotent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let first = try store.write(Array("abc".utf8))
        let second = try store.write(Array("abc".utf8))
        #expect(first == second)
        // SHA-256 of no bytes (FIPS 180-2).
        let empty = try store.write([])
        #expect(empty == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try store.read(empty) == [])
        #expect(try store.list() == [Self.abcDigest, empty].sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp").isEmpty)
    }

    @Test("a blob altered on disk is reported as corrupted, never returned; rewriting it repairs it")
    func corrupted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let payload = Array("the quick brown fox".utf8)
        let digest = try store.write(payload)
        let other = try store.write(Array("abc".utf8))
        var damaged = payload
        damaged[4] ^= 0x20
        try Data(damaged).write(to: URL(fileURLWithPath: try store.path(for: digest)))
        #expect(throws: RegistryError.corrupted(sha256: digest)) { try store.read(digest) }
        // The rest keeps working.
        #expect(try store.read(other) == Array("abc".utf8))
        // Truncation is corruption too.
        try Data(payload.prefix(3)).write(to: URL(fileURLWithPath: try store.path(for: digest)))
        #expect(throws: RegistryError.corrupted(sha256: digest)) { try store.read(digest) }
        try store.write(payload)
        #expect(try store.read(digest) == payload)
    }

    @Test("ranged reads return the right slices; an in-place change after a verified read is still caught")
    func rangedReads() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let digest = try store.write(payload)
        var joined: [UInt8] = []
        for offset in stride(from: 0, to: 1000, by: 300) {
            let range = try store.read(digest, offset: Int64(offset), maxLength: 300)
            #expect(range.total == 1000)
            #expect(range.bytes == Array(payload[offset..<min(1000, offset + 300)]))
            joined += range.bytes
        }
        #expect(joined == payload)
        #expect(try store.read(digest, offset: 1000, maxLength: 10).bytes.isEmpty)
        #expect(try store.read(digest, offset: 5000, maxLength: 10) == (1000, []))
        #expect(try store.read(digest, offset: 990, maxLength: 300).bytes == Array(payload[990...]))

        // Flip one byte in place (same size, same inode) right after a verified read: the file's
        // stamp changes, so the next ranged read hashes again and refuses it.
        let handle = try #require(FileHandle(forUpdatingAtPath: try store.path(for: digest)))
        try handle.seek(toOffset: 500)
        try handle.write(contentsOf: Data([payload[500] ^ 0xFF]))
        try handle.close()
        #expect(throws: RegistryError.corrupted(sha256: digest)) { try store.read(digest, offset: 0, maxLength: 10) }
        #expect(throws: RegistryError.blobNotFound(sha256: Self.abcDigest)) {
            try store.read(Self.abcDigest, offset: 0, maxLength: 10)
        }
    }

    @Test("a missing blob and malformed digests are typed errors; no digest can name another path")
    func missingAndMalformed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        #expect(throws: RegistryError.blobNotFound(sha256: Self.abcDigest)) { try store.read(Self.abcDigest) }
        for bad in [
            "", "abc", "../../etc/passwd", String(repeating: "g", count: 64), String(repeating: "a", count: 65),
            "../" + String(repeating: "a", count: 61),
        ] {
            #expect(throws: RegistryError.invalidDigest(bad)) { try store.read(bad) }
            #expect(throws: RegistryError.invalidDigest(bad)) { try store.path(for: bad) }
        }
    }

    @Test("a chunked upload with the right digest commits; the temporary file is gone")
    func streamingCommit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let upload = try store.beginUpload()
        for chunk in ["a", "", "b", "c"] { try upload.append(Array(chunk.utf8)) }
        #expect(upload.size == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp").count == 1)
        #expect(try await upload.commit(expectedSHA256: Self.abcDigest.uppercased()) == Self.abcDigest)
        #expect(try store.read(Self.abcDigest) == Array("abc".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp").isEmpty)
        #expect(throws: RegistryError.self) { try upload.append([1]) }
    }

    @Test("a chunked upload with the wrong digest is rejected and cleaned up")
    func streamingWrongDigest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let upload = try store.beginUpload()
        try upload.append(Array("abd".utf8))
        await #expect(throws: RegistryError.self) { try await upload.commit(expectedSHA256: Self.abcDigest) }
        do {
            try await upload.commit(expectedSHA256: Self.abcDigest)
        } catch let error as RegistryError {
            // The second commit finds the upload finished.
            #expect(error == .invalidArgument("the upload is already finished"))
        }
        #expect(try !store.exists(Self.abcDigest))
        #expect(try store.list().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp").isEmpty)

        let mismatch = try store.beginUpload()
        try mismatch.append(Array("abd".utf8))
        do {
            try await mismatch.commit(expectedSHA256: Self.abcDigest)
            Issue.record("a wrong digest was accepted")
        } catch let error as RegistryError {
            guard case .digestMismatch(let expected, let actual) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(expected == Self.abcDigest)
            #expect(actual != Self.abcDigest && actual.count == 64)
        }
    }

    @Test("size limit, abort and an abandoned upload all remove the temporary file")
    func abandoned() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let limited = try store.beginUpload(maximumBytes: 4)
        try limited.append([1, 2, 3])
        #expect(throws: RegistryError.self) { try limited.append([4, 5]) }
        let aborted = try store.beginUpload()
        try aborted.append([1])
        aborted.abort()
        do {
            let dropped = try store.beginUpload()
            try dropped.append([9, 9])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp").isEmpty)
        #expect(try store.list().isEmpty)
    }

    @Test("delete, exists, list and leftover temporary files")
    func deleteAndList() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobDirectory(directory: directory.path)
        let digests = try (0..<5).map { try store.write([UInt8($0)]) }
        #expect(try store.list() == digests.sorted())
        #expect(try store.delete(digests[2]))
        #expect(try !store.delete(digests[2]))
        #expect(try !store.exists(digests[2]))
        #expect(try store.list() == digests.sorted().filter { $0 != digests[2] })
        // A stray file in a fan-out directory is not a blob.
        try FileManager.default.createDirectory(
            atPath: directory.path + "/blobs/sha256/ab", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory.path + "/blobs/sha256/ab/not-a-blob", contents: Data([1]))
        _ = FileManager.default.createFile(atPath: directory.path + "/tmp/leftover", contents: Data([1]))
        #expect(try store.list().count == 4)
        #expect(try store.removeTemporaryFiles() == 1)
    }
}
