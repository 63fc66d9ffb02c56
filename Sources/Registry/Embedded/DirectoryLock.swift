import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on `DIR/LOCK`, held for the life of a `RegistryStore` (or until its
/// `close()`), so that two registries never share a data directory (the kernel releases it when the
/// process dies, even by SIGKILL).
final class DirectoryLock: Sendable {
    private let descriptor: Mutex<Int32?>

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
        self.descriptor = Mutex(descriptor)
    }

    /// Releases the lock now (idempotent): a store that was closed frees its directory even while
    /// something still holds the store object.
    func release() {
        descriptor.withLock { held in
            guard let descriptor = held else { return }
            _ = flock(descriptor, LOCK_UN)
            closeDescriptor(descriptor)
            held = nil
        }
    }

    deinit {
        release()
    }
}
