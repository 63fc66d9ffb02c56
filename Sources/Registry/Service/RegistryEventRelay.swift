import ServiceKit
import Wire

/// Hands the registry's committed events to the server's ``WireEventHub`` in sequence order, each
/// once: after this server's own writes, and whenever the store signals a change — which, on a
/// shared PostgreSQL store, includes writes made through other replicas.
actor RegistryEventRelay {
    private let store: RegistryStore
    private var hub: WireEventHub?
    private var last: Int64 = 0

    /// A relay for `store`'s events, attached to no hub yet.
    init(store: RegistryStore) {
        self.store = store
    }

    /// Publishes on `hub` from now on, first seeding it with the events after `start`.
    func attach(to hub: WireEventHub, from start: Int64) async throws {
        self.hub = hub
        last = start
        try await publishNewEvents()
    }

    /// Hands every event committed since the last call to the hub.
    func publishNewEvents() async throws {
        guard let hub else { return }
        while true {
            let events = try await store.events(after: last, limit: 1000)
            // The actor is reentrant across that await: skip what a concurrent call already handed on.
            for event in events where event.sequence > last {
                let payload = try JSONDocument(encoding: event).json
                try hub.publish(sequence: UInt64(event.sequence), topic: event.kind.rawValue, payload: payload)
                last = event.sequence
            }
            if events.count < 1000 { return }
        }
    }
}
