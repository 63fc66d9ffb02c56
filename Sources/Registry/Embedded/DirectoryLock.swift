#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `DIR/LOCK`, held for the life of a `RegistryStore`, so that two
/// registries never share a data directory (the kernel releases it when the process dies, even
/// by SIGKILL).
final class DirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock or throws `RegistryError.directoryLocked`.
    init(directory: String) throws {
        let path = directory + "/LOCK"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.failure(path, errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            closeDescriptor(descriptor)
            if code == EWOULDBLOCK { throw RegistryError.directoryLocked(path: directory) }
            throw FileSystem.failure(path, code)
        }
        self.descriptor = descriptor
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        closeDescriptor(descriptor)
    }
}
