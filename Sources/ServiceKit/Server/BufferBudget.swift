import NIOConcurrencyHelpers

/// Server-wide budget for bytes held in partial frames across all connections (wire.md §8).
///
/// Only connections that keep a partial frame between reads touch it, so the per-request path of
/// small requests never takes its lock. A connection whose partial frame would exceed the budget
/// is answered `unavailable` and closed: it is the one asking for more memory.
final class BufferBudget: Sendable {
    private let used = NIOLockedValueBox(0)
    private let limit: Int

    /// Creates a budget of `limit` bytes.
    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Changes a connection's holding from `old` to `new` bytes; false (and no change) when growing
    /// past the limit.
    func change(from old: Int, to new: Int) -> Bool {
        used.withLockedValue { used in
            let next = used - old + new
            if new > old && next > limit { return false }
            used = next
            return true
        }
    }

    /// Bytes currently held.
    var bytesInUse: Int { used.withLockedValue { $0 } }
}
