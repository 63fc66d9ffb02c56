import Foundation
import Testing

@testable import ChurnML

/// The one crash-safe write (temporary file, fsync, rename, directory fsync) that ChurnML and the
/// registry's blob store share: it replaces files whole, leaves no temporary file behind, and
/// reports every failing step, the directory fsync included.
@Suite("Durable writes")
struct DurableWriteTests {
    private static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("writeAtomically replaces the file whole and leaves nothing else in the directory")
    func replaces() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file.bin"
        try FileBytes.writeAtomically([1, 2, 3], to: path)
        try FileBytes.writeAtomically([4, 5], to: path)
        #expect(try FileBytes.read(path) == [4, 5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["file.bin"])
    }

    @Test("writeAtomically into a missing directory is a DataError naming the file")
    func missingDirectory() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/missing/file.bin"
        #expect(throws: DataError("cannot create file: No such file or directory", source: path)) {
            try FileBytes.writeAtomically([1], to: path)
        }
    }

    @Test("moveDurably renames and syncs; a failed rename names the destination")
    func moveDurably() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileBytes.write([7], to: directory + "/a")
        try FileBytes.moveDurably(directory + "/a", to: directory + "/b")
        #expect(try FileBytes.read(directory + "/b") == [7])
        #expect(!FileManager.default.fileExists(atPath: directory + "/a"))
        #expect(throws: FileSystemError(path: directory + "/x/b", operation: "cannot replace file", code: ENOENT)) {
            try FileBytes.moveDurably(directory + "/b", to: directory + "/x/b")
        }
    }

    @Test("a directory fsync that cannot be done is reported, not ignored")
    func directorySyncFailure() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: FileSystemError(path: directory + "/gone", operation: "cannot sync directory", code: ENOENT)) {
            try FileBytes.syncDirectory(directory + "/gone")
        }
        try FileBytes.write([1], to: directory + "/plain")
        #expect(throws: FileSystemError(path: directory + "/plain", operation: "cannot sync directory", code: ENOTDIR))
        {
            try FileBytes.syncDirectory(directory + "/plain")
        }
        try FileBytes.syncDirectory(directory)
        #expect(
            FileSystemError(path: "/p", operation: "cannot sync directory", code: ENOENT).description
                == "/p: cannot sync directory: No such file or directory")
    }

    @Test("the directory of a path")
    func directoryOfPath() {
        #expect(FileBytes.directory(of: "a/b/c") == "a/b")
        #expect(FileBytes.directory(of: "/c") == "/")
        #expect(FileBytes.directory(of: "c") == ".")
    }
}
