#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileBytes {
    /// Writes `bytes` to `path` so that a crash at any instant leaves either the old file or the new
    /// one, never a half-written file: write a temporary file beside it, fsync it, rename it over
    /// `path`, then fsync the directory.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create file", path: path) }
        do {
            try writeAll(bytes, to: descriptor, path: path)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            let error = failure("cannot write file", path: path)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot replace file", path: path)
            unlink(temporary)
            throw error
        }
        let directoryDescriptor = open(directory.isEmpty ? "/" : directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
