import Synchronization

/// Digests that an in-flight push or publish is about to reference, so that garbage collection
/// never deletes a blob between "blob written" and "index transaction committed".
///
/// A writer pins its digest before writing the blob and unpins after its transaction commits.
/// Garbage collection runs entirely under the same lock: it sees every committed reference and
/// every pin, and new pins wait until it has finished.
final class BlobPins: Sendable {
    private let pinned = Mutex<[String: Int]>([:])

    /// Runs `body` with `digest` pinned.
    func withPin<T>(_ digest: String, _ body: () throws -> T) throws -> T {
        pinned.withLock { $0[digest, default: 0] += 1 }
        defer {
            pinned.withLock { pins in
                let count = (pins[digest] ?? 1) - 1
                pins[digest] = count > 0 ? count : nil
            }
        }
        return try body()
    }

    /// Runs `body` while no pin can be taken or released; `body` receives the pinned digests.
    func exclusively<T>(_ body: (Set<String>) throws -> T) throws -> T {
        try pinned.withLock { pins in try body(Set(pins.keys)) }
    }
}
