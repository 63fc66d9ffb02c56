import NIOConcurrencyHelpers
import NIOCore
import Wire

/// Publishes events to subscribed connections and retains a bounded window for replay (wire.md §6).
///
/// A role calls ``publish(topic:payload:)`` (or ``publish(sequence:topic:payload:)`` when it owns
/// the numbering, as the registry's event log does). Delivery to each subscriber is enqueued on its
/// connection's event loop while the hub's lock is held, so every subscriber sees events in sequence
/// order, replayed ones before live ones, with no gap.
public final class WireEventHub: Sendable {
    /// Receives one event on behalf of a subscription (the server enqueues it on the connection's loop).
    typealias Sink = @Sendable (EventMessage) -> Void

    private struct Subscriber {
        var connectionID: UInt64
        var subscriptionID: UInt32
        var topics: Set<String>
        /// Events below this sequence are never delivered (the subscription's `fromSequence`: a
        /// subscriber resuming at 3 on a server whose numbering restarted must not get 1 and 2 again).
        var minimumSequence: UInt64
        var sink: Sink

        /// Whether `event` goes to this subscriber.
        func wants(_ event: EventMessage) -> Bool {
            event.sequence >= minimumSequence && (topics.contains("*") || topics.contains(event.topic))
        }
    }

    private struct State {
        var retained: [EventMessage] = []  // ring buffer storage
        var ringStart = 0  // index of the oldest retained event
        var head: UInt64 = 0  // last assigned sequence
        var evictedThrough: UInt64 = 0  // sequence of the newest event dropped from the ring
        var subscribers: [Subscriber] = []
    }

    private let state = NIOLockedValueBox(State())
    private let capacity: Int

    /// Creates a hub retaining the last `retention` events.
    public init(retention: Int) {
        capacity = max(1, retention)
    }

    /// The last assigned sequence number (0 before the first event).
    public var headSequence: UInt64 {
        state.withLockedValue { $0.head }
    }

    /// Publishes an event with the next sequence number and returns that number.
    @discardableResult
    public func publish(topic: String, payload: ByteBuffer) -> UInt64 {
        state.withLockedValue { state in
            let sequence = state.head + 1
            Self.append(
                EventMessage(sequence: sequence, topic: topic, payload: payload), to: &state, capacity: capacity)
            return sequence
        }
    }

    /// Publishes an event with a caller-chosen sequence, which must exceed every earlier one.
    public func publish(sequence: UInt64, topic: String, payload: ByteBuffer) throws {
        try state.withLockedValue { state in
            guard sequence > state.head else {
                throw ErrorMessage(
                    code: .conflict, message: "sequence \(sequence) is not above the head \(state.head)",
                    field: "sequence")
            }
            Self.append(
                EventMessage(sequence: sequence, topic: topic, payload: payload), to: &state, capacity: capacity)
        }
    }

    private static func append(_ event: EventMessage, to state: inout State, capacity: Int) {
        state.head = event.sequence
        if state.retained.count < capacity {
            state.retained.append(event)
        } else {
            state.evictedThrough = state.retained[state.ringStart].sequence
            state.retained[state.ringStart] = event
            state.ringStart = (state.ringStart + 1) % capacity
        }
        for subscriber in state.subscribers where subscriber.wants(event) {
            subscriber.sink(event)
        }
    }

    /// Registers a subscription and delivers the replay through `sink`; returns the head sequence.
    ///
    /// Throws ``ErrorMessage`` with `notFound` when `fromSequence` is older than the retained window.
    func subscribe(
        connectionID: UInt64, subscriptionID: UInt32, topics: [String], fromSequence: UInt64?, sink: @escaping Sink
    ) throws -> UInt64 {
        try state.withLockedValue { state in
            let subscriber = Subscriber(
                connectionID: connectionID, subscriptionID: subscriptionID, topics: Set(topics),
                minimumSequence: fromSequence ?? 0, sink: sink)
            if let from = fromSequence {
                guard state.evictedThrough == 0 || from > state.evictedThrough else {
                    throw ErrorMessage(
                        code: .notFound,
                        message: "events up to sequence \(state.evictedThrough) are no longer retained",
                        field: "fromSequence")
                }
                let count = state.retained.count
                for offset in 0..<count {
                    let event = state.retained[(state.ringStart + offset) % count]
                    if event.sequence >= from && subscriber.wants(event) {
                        sink(event)
                    }
                }
            }
            state.subscribers.append(subscriber)
            return state.head
        }
    }

    /// Ends one subscription; returns whether it existed.
    func unsubscribe(connectionID: UInt64, subscriptionID: UInt32) -> Bool {
        state.withLockedValue { state in
            let before = state.subscribers.count
            state.subscribers.removeAll { $0.connectionID == connectionID && $0.subscriptionID == subscriptionID }
            return state.subscribers.count != before
        }
    }

    /// Ends every subscription of a connection.
    func removeAll(connectionID: UInt64) {
        state.withLockedValue { state in
            state.subscribers.removeAll { $0.connectionID == connectionID }
        }
    }
}
