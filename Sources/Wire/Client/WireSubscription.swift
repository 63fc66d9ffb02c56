/// An active subscription on one connection (wire.md §6).
public struct WireSubscription: Sendable {
    /// The subscription id: the correlation id of the Subscribe request.
    public var id: UInt32
    /// Last sequence assigned by the server when the subscription was made.
    public var headSequence: UInt64
    /// The events, in sequence order; finishes when the connection closes or on unsubscribe.
    public var events: AsyncStream<EventMessage>
}
