import Synchronization

/// Hands out the keys of one logical call's keyed writes in order: the first write gets the
/// call's base key, the next one the base key derived with 1, and so on. A retry of the call
/// starts a fresh sequence from the same base (``restarted()``), so each write is sent again with
/// the key it had the first time and the server answers it with its first outcome.
public final class IdempotencyKeys: Sendable {
    /// The call's base key.
    public let base: IdempotencyKey
    private let issued = Atomic<UInt64>(0)

    /// A sequence starting at `base` (a fresh random key unless given).
    public init(base: IdempotencyKey = .random()) {
        self.base = base
    }

    /// The next write's key.
    public func next() -> IdempotencyKey {
        base.derived(issued.add(1, ordering: .relaxed).oldValue)
    }

    /// The same sequence from its start, for a retry of the call.
    public func restarted() -> IdempotencyKeys {
        IdempotencyKeys(base: base)
    }
}
