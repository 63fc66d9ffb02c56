import Synchronization

/// Wakes event-log subscribers after a change commits, so a subscription can wait instead of
/// polling. A signal carries no data: the subscriber reads `RegistryStore.events(after:)` from
/// its last sequence, which is what makes resuming exact. Signals coalesce (a slow subscriber
/// sees one pending signal, not a backlog).
final class EventNotifier: Sendable {
    private let subscribers = Mutex<(next: Int, continuations: [Int: AsyncStream<Void>.Continuation])>((0, [:]))

    /// A stream that yields once after each committed change (coalesced), until it is dropped.
    func signals() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = subscribers.withLock { state in
            let key = state.next
            state.next += 1
            state.continuations[key] = continuation
            return key
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: key) }
        }
        return stream
    }

    /// Wakes every subscriber.
    func signal() {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield() }
    }

    deinit {
        let continuations = subscribers.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.finish() }
    }
}
