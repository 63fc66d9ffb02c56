import ChurnML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls the blob store needs: durable writes (write,
/// fsync, rename, directory fsync — ChurnML's ``FileBytes`` steps, the same ones every crash-safe
/// write in Churn uses), whole-file reads and directory listings. Every failure is a
/// `RegistryError.io` naming the path and `strerror(errno)`.
enum FileSystem {
    /// Creates `path` (and missing parents) with mode 0755. Returns true when it created `path`.
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if isDirectory(path) { return false }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectory(String(path[..<slash]))
        }
        if mkdir(path, 0o755) == 0 { return true }
        let code = errno
        if code == EEXIST, isDirectory(path) { return false }
        throw failure(path, code)
    }

    /// True when `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when `path` names a regular file.
    static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of the regular file at `path`, or nil when there is none.
    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// The modification time of `path` in milliseconds since the epoch, or nil when it is missing.
    static func modifiedMillis(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
    }

    /// Opens `path` for writing, creating it exclusively (mode 0644).
    static func createExclusive(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, errno) }
        return descriptor
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and EINTR.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        do throws(FileSystemError) {
            try FileBytes.writeAll(bytes, to: descriptor, path: path)
        } catch {
            throw failure(error)
        }
    }

    /// Flushes `descriptor`'s data and metadata to stable storage.
    static func sync(_ descriptor: Int32, path: String) throws {
        do throws(FileSystemError) {
            try FileBytes.syncDescriptor(descriptor, path: path)
        } catch {
            throw failure(error)
        }
    }

    /// Flushes a directory's entries (after a create, rename or unlink inside it).
    static func syncDirectory(_ path: String) throws {
        do throws(FileSystemError) {
            try FileBytes.syncDirectory(path)
        } catch {
            throw failure(error)
        }
    }

    /// Atomically replaces `destination` with the complete, fsynced file `source` and makes the
    /// rename durable (fsyncs `destination`'s directory; a failure there is reported).
    static func moveDurably(_ source: String, to destination: String) throws {
        do throws(FileSystemError) {
            try FileBytes.moveDurably(source, to: destination)
        } catch {
            throw failure(error)
        }
    }

    /// Removes the file at `path`; a missing file is not an error. Returns true when it removed one.
    @discardableResult
    static func remove(_ path: String) throws -> Bool {
        if unlink(path) == 0 { return true }
        let code = errno
        if code == ENOENT { return false }
        throw failure(path, code)
    }

    /// The whole content of the regular file at `path`.
    static func readFile(_ path: String) throws -> [UInt8] {
        try readRange(path, offset: 0, maxLength: nil)
    }

    /// At most `maxLength` bytes (nil: all) of the file at `path` from `offset` on; fewer when the
    /// file ends first, none when `offset` is at or past its end.
    static func readRange(_ path: String, offset start: Int64, maxLength: Int?) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(path, errno) }
        let available = Int(max(0, Int64(info.st_size) - max(0, start)))
        let expected = min(available, max(0, maxLength ?? available))
        var bytes = [UInt8](repeating: 0, count: expected)
        var offset = 0
        try bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < expected {
                let got = pread(descriptor, base + offset, expected - offset, off_t(max(0, start) + Int64(offset)))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, errno)
                }
                if got == 0 { break }
                offset += got
            }
        }
        if offset < expected { bytes.removeLast(expected - offset) }
        return bytes
    }

    /// Names of the entries of directory `path` (without `.` and `..`); empty when it is missing.
    static func list(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            if errno == ENOENT { return [] }
            throw failure(path, errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.prefix(while: { $0 != 0 })
                return String(decoding: bytes, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A random 32-hex-character name for a temporary file.
    static func randomName() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// A `RegistryError.io` for a failed call of ChurnML's durable-write steps.
    static func failure(_ error: FileSystemError) -> RegistryError {
        failure(error.path, error.code)
    }

    /// A `RegistryError.io` for `path` and the errno `code`.
    static func failure(_ path: String, _ code: Int32) -> RegistryError {
        RegistryError.io(path: path, reason: String(cString: strerror(code)))
    }
}
