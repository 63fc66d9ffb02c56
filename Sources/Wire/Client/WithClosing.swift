/// Runs `body`, then awaits `close` — also when `body` throws — so a connection or store opened for
/// one command is closed before the command returns. (A `defer { Task { await x.close() } }` would
/// only schedule the close, which may never run before the process exits.)
public func withClosing<T>(_ close: () async -> Void, _ body: () async throws -> T) async rethrows -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await close()
        throw error
    }
    await close()
    return result
}
