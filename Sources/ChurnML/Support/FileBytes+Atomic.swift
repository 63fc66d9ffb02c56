#if canImport(Glibc)
    import Glibc

    /// The C library's `write(2)` (`FileBytes.write` would shadow it).
    private let posixWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin

    /// The C library's `write(2)` (`FileBytes.write` would shadow it).
    private let posixWrite = Darwin.write
#endif

/// The one crash-safe write: write a temporary file, fsync it, rename it over the destination,
/// fsync the directory. Every step's failure is reported (a directory fsync that fails means the
/// rename may not survive a crash, so it is an error, not ignored). ChurnML's own files
/// (``writeAtomically(_:to:)``) and the registry's blob store use these same steps.
extension FileBytes {
    /// Writes `bytes` to `path` so that a crash at any instant leaves either the old file or the new
    /// one, never a half-written file: write a temporary file beside it, fsync it, rename it over
    /// `path`, then fsync the directory. Failures are ``DataError``s naming `path`.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = "\(path).tmp-\(getpid())"
        do throws(FileSystemError) {
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw FileSystemError(path: path, operation: "cannot create file", code: errno)
            }
            do throws(FileSystemError) {
                try bytes.withUnsafeBytes { buffer in
                    Result { () throws(FileSystemError) in try writeAll(buffer, to: descriptor, path: path) }
                }.get()
                try syncDescriptor(descriptor, path: path)
            } catch {
                close(descriptor)
                throw error
            }
            guard close(descriptor) == 0 else {
                throw FileSystemError(path: path, operation: "cannot write file", code: errno)
            }
            try moveDurably(temporary, to: path)
        } catch {
            unlink(temporary)  // gone already when the rename succeeded
            throw DataError("\(error.operation): \(error.reason)", source: error.path)
        }
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and EINTR; `path` names
    /// the file in errors.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String)
        throws(FileSystemError)
    {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = posixWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(path: path, operation: "cannot write file", code: errno)
            }
            offset += written
        }
    }

    /// Flushes `descriptor`'s data and metadata to stable storage (fsync, retried on EINTR).
    public static func syncDescriptor(_ descriptor: Int32, path: String) throws(FileSystemError) {
        while fsync(descriptor) != 0 {
            let code = errno
            if code != EINTR { throw FileSystemError(path: path, operation: "cannot sync file", code: code) }
        }
    }

    /// Flushes a directory's entries to stable storage, after a create, rename or unlink inside it.
    public static func syncDirectory(_ path: String) throws(FileSystemError) {
        let descriptor = open(path.isEmpty ? "/" : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileSystemError(path: path, operation: "cannot sync directory", code: errno)
        }
        defer { close(descriptor) }
        while fsync(descriptor) != 0 {
            let code = errno
            if code != EINTR { throw FileSystemError(path: path, operation: "cannot sync directory", code: code) }
        }
    }

    /// Renames the complete, fsynced file `source` over `destination` (atomic on one file system)
    /// and fsyncs `destination`'s directory so that the rename survives a crash.
    public static func moveDurably(_ source: String, to destination: String) throws(FileSystemError) {
        guard rename(source, destination) == 0 else {
            throw FileSystemError(path: destination, operation: "cannot replace file", code: errno)
        }
        try syncDirectory(directory(of: destination))
    }

    /// The directory part of `path` (`.` for a bare name, `/` for a file in the root).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
