#if canImport(Glibc)
    import Glibc

    /// The C library's `read(2)` (`FileBytes.read` would shadow it).
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin

    /// The C library's `read(2)` (`FileBytes.read` would shadow it).
    private let systemRead = Darwin.read
#endif

/// Whole-file reads and writes through POSIX calls, with failures reported as ``DataError``
/// naming the path and the system's reason.
public enum FileBytes {
    /// All bytes of the file at `path`.
    public static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure("cannot open file", path: path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("cannot read file", path: path) }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw DataError("is a directory, not a file", source: path)
        }
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 65_536)))
            }
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let start = buffer.baseAddress else { return 0 }
                return systemRead(descriptor, start + filled, buffer.count - filled)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure("cannot read file", path: path)
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Replaces the file at `path` with `bytes` (mode 0644; not atomically: see `writeAtomically`).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { emit in try emit(bytes) }
    }

    /// Replaces the file at `path` with the chunks `produce` hands to its `emit` argument, in order,
    /// without holding them all in memory (mode 0644; not atomically).
    public static func write(to path: String, _ produce: (_ emit: ([UInt8]) throws -> Void) throws -> Void) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create file", path: path) }
        do {
            try produce { chunk in try writeAll(chunk, to: descriptor, path: path) }
        } catch {
            close(descriptor)
            throw error
        }
        guard close(descriptor) == 0 else { throw failure("cannot write file", path: path) }
    }

    /// Writes every byte to an open descriptor, retrying short writes and EINTR; `path` names it in errors.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        do throws(FileSystemError) {
            try bytes.withUnsafeBytes { buffer in
                Result { () throws(FileSystemError) in try writeAll(buffer, to: descriptor, path: path) }
            }.get()
        } catch {
            throw DataError("\(error.operation): \(error.reason)", source: path)
        }
    }

    /// A ``DataError`` for the current `errno`.
    static func failure(_ what: String, path: String) -> DataError {
        let reason = String(cString: strerror(errno))
        return DataError("\(what): \(reason)", source: path)
    }
}
