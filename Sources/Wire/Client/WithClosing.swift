/// Runs `body`, then awaits `close` — also when `body` throws — so a connection or store opened for
/// one command is closed before the command returns. (A `defer { Task { await x.close() } }` would
/// only schedule the close, which may never run before the process exits.)
///
/// ```swift
/// let health = try await withClosing {
///     try await client.send(HealthRequest())
/// } close: {
///     await client.close()
/// }
/// ```
public func withClosing<T>(_ body: () async throws -> T, close: () async -> Void) async rethrows -> T {
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
