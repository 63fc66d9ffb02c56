/// A role client whose writes are keyed (wire.md §2.4): ``RegistryClient`` and ``TrainerClient``.
///
/// Its keyed writes (``Opcode/keyedWrites``) take their keys from ``keys`` in order, or a fresh
/// random key each when it is nil. A caller that retries a call hands the retry
/// ``IdempotencyKeys/restarted()``, so that every write repeats its first key.
public protocol KeyedRoleClient: WireRoleClient {
    /// Where the keyed writes' keys come from; nil: a fresh random key for each.
    var keys: IdempotencyKeys? { get }
    /// Wraps an open connection whose keyed writes take their keys from `keys`.
    init(wire: WireClient, keys: IdempotencyKeys?)
}

extension KeyedRoleClient {
    /// Wraps an open connection (each keyed write with a fresh random key).
    public init(wire: WireClient) {
        self.init(wire: wire, keys: nil)
    }

    /// The key for the next request with `opcode`: nil unless it is a keyed write.
    func idempotencyKey(for opcode: Opcode) -> IdempotencyKey? {
        Opcode.keyedWrites.contains(opcode) ? (keys?.next() ?? .random()) : nil
    }
}
