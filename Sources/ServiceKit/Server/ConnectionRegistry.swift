import NIOConcurrencyHelpers
import NIOCore

/// The server's live connections: admission against `maxConnections`, and the drain/close fan-out
/// used by graceful shutdown.
final class ConnectionRegistry: Sendable {
    /// What shutdown needs of one connection.
    struct Entry: Sendable {
        /// The channel, for a forced close.
        var channel: any Channel
        /// Asks the connection to finish its in-flight requests and close.
        var drain: @Sendable () -> Void
    }

    private struct State {
        var nextID: UInt64 = 1
        var entries: [UInt64: Entry] = [:]
        var draining = false
        var emptied: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())
    private let maxConnections: Int

    /// Creates a registry admitting at most `maxConnections`.
    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// Reserves an id for a new connection, or nil when full or draining.
    func admit() -> UInt64? {
        state.withLockedValue { state in
            guard !state.draining, state.entries.count < maxConnections else { return nil }
            let id = state.nextID
            state.nextID += 1
            return id
        }
    }

    /// Records the connection's entry (after its handler is installed). Returns false when the
    /// server began draining meanwhile: the caller drains the connection itself.
    func register(_ id: UInt64, _ entry: Entry) -> Bool {
        state.withLockedValue { state in
            state.entries[id] = entry
            return !state.draining
        }
    }

    /// Forgets a closed connection.
    func remove(_ id: UInt64) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.entries[id] = nil
            guard state.entries.isEmpty else { return [] }
            defer { state.emptied = [] }
            return state.emptied
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Connections currently registered.
    var count: Int {
        state.withLockedValue { $0.entries.count }
    }

    /// Stops admitting and asks every connection to drain.
    func drainAll() {
        let entries = state.withLockedValue { state -> [Entry] in
            state.draining = true
            return Array(state.entries.values)
        }
        for entry in entries { entry.drain() }
    }

    /// Closes every connection at once.
    func closeAll() {
        let entries = state.withLockedValue { Array($0.entries.values) }
        for entry in entries { entry.channel.close(promise: nil) }
    }

    /// Returns when no connection is registered.
    func waitUntilEmpty() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { state -> Bool in
                if state.entries.isEmpty { return true }
                state.emptied.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
