import Logging
import ServiceKit
import Wire

/// The registry role's parts: its store and the wire handler over it. Assembled here, in the role
/// library, so that `churn serve registry` and `churn serve all` wire the role the same way.
public struct RegistryRole: Sendable {
    /// Datasets, model versions, aliases and the event log.
    public let store: RegistryStore
    /// The wire handler.
    public let handler: RegistryHandler

    /// Wraps an open store; `gcGraceMillis` protects uploaded, not yet registered blobs from gc.
    public init(store: RegistryStore, gcGraceMillis: Int64 = 60_000, logger: Logger) {
        self.store = store
        handler = RegistryHandler(store: store, gcGraceMillis: gcGraceMillis, logger: logger)
    }

    /// Feeds the store's events to `server`'s hub (keeping its retention window), before it serves.
    public func attach(to server: WireServer) async throws {
        try await handler.attach(to: server.events, retention: server.configuration.eventRetention)
    }

    /// Runs `body` (the role's serving) and closes the store afterwards, also when `body` throws:
    /// an embedded store's directory lock is released at once, so a restart in the same directory
    /// does not wait for the process to exit.
    public func serving(_ body: () async throws -> Void) async throws {
        try await withClosing(body, close: { await store.close() })
    }
}
