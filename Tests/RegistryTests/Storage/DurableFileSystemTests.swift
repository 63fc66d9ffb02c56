import Foundation
import Testing

@testable import Registry

/// The blob store's durable-write steps are ChurnML's (`FileBytes`); their failures arrive as
/// `RegistryError.io` naming the path, and a directory fsync that cannot be done is reported.
@Suite("Registry durable writes")
struct DurableFileSystemTests {
    @Test("a directory fsync that cannot be done is an io error naming the directory")
    func directorySync() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileSystem.syncDirectory(directory.path)
        #expect(throws: RegistryError.io(path: directory.path + "/gone", reason: "No such file or directory")) {
            try FileSystem.syncDirectory(directory.path + "/gone")
        }
    }

    @Test("moveDurably renames into place; a failed rename names the destination")
    func moveDurably() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = directory.path + "/a"
        #expect(FileManager.default.createFile(atPath: source, contents: Data([1, 2])))
        try FileSystem.moveDurably(source, to: directory.path + "/b")
        #expect(try FileSystem.readFile(directory.path + "/b") == [1, 2])
        #expect(!FileSystem.isFile(source))
        #expect(throws: RegistryError.io(path: directory.path + "/missing/b", reason: "No such file or directory")) {
            try FileSystem.moveDurably(directory.path + "/b", to: directory.path + "/missing/b")
        }
    }

    @Test("writeAll and sync write every byte through a descriptor")
    func writeAndSync() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/f"
        let descriptor = try FileSystem.createExclusive(path)
        let bytes = [UInt8](repeating: 7, count: 100_000)
        try bytes.withUnsafeBytes { try FileSystem.writeAll(descriptor, $0, path: path) }
        try FileSystem.sync(descriptor, path: path)
        close(descriptor)
        #expect(try FileSystem.readFile(path) == bytes)
        #expect(throws: RegistryError.io(path: path, reason: "Bad file descriptor")) {
            try FileSystem.sync(-1, path: path)
        }
    }
}
