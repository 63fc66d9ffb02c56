/// Digests that an in-flight push or publish is about to reference, so that garbage collection
/// never deletes a blob between "blob written" and "index transaction committed" (within one
/// process: the embedded store's guard; PostgreSQL guards replicas with an advisory lock instead).
///
/// A writer pins its digest before writing the blob and unpins after its transaction commits.
/// Garbage collection runs while no pin can be taken or released: it sees every committed reference
/// and every pin, and new pins wait until it has finished.
actor BlobPins {
    private var pinned: [String: Int] = [:]
    private var collecting = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` with `digest` pinned.
    nonisolated func withPin<T: Sendable>(_ digest: String, _ body: () async throws -> T) async throws -> T {
        await pin(digest)
        do {
            let result = try await body()
            await unpin(digest)
            return result
        } catch {
            await unpin(digest)
            throw error
        }
    }

    /// Runs `body` while no pin can be taken or released; `body` receives the pinned digests.
    nonisolated func exclusively<T: Sendable>(_ body: (Set<String>) async throws -> T) async throws -> T {
        let pins = await beginCollecting()
        do {
            let result = try await body(pins)
            await endCollecting()
            return result
        } catch {
            await endCollecting()
            throw error
        }
    }

    private func pin(_ digest: String) async {
        while collecting { await withCheckedContinuation { waiters.append($0) } }
        pinned[digest, default: 0] += 1
    }

    private func unpin(_ digest: String) {
        let count = (pinned[digest] ?? 1) - 1
        pinned[digest] = count > 0 ? count : nil
    }

    private func beginCollecting() async -> Set<String> {
        while collecting { await withCheckedContinuation { waiters.append($0) } }
        collecting = true
        return Set(pinned.keys)
    }

    private func endCollecting() {
        collecting = false
        let waking = waiters
        waiters = []
        for waiter in waking { waiter.resume() }
    }
}
