/// The connections a ``WirePoolState`` is opening, by replica and slot, with the calls waiting for
/// each. One attempt per slot: a burst of calls at a cold pool opens one connection per slot instead
/// of one per call (600 concurrent calls had opened up to 600 connections, whose Hellos then timed
/// out on a loaded machine).
struct WirePoolOpening {
    /// One slot of one replica.
    struct Key: Hashable {
        var replica: Int
        var slot: Int
    }

    /// What a waiting call is resumed with: the slot's connection, or nil to look again (the
    /// replica was retired or the pool closed meanwhile).
    typealias Waiter = CheckedContinuation<WireClient?, any Error>

    private var waiters: [Key: [UInt64: Waiter]] = [:]
    private var nextToken: UInt64 = 0

    /// Marks `key` as opening; false when an attempt is already under way.
    mutating func begin(_ key: Key) -> Bool {
        guard waiters[key] == nil else { return false }
        waiters[key] = [:]
        return true
    }

    /// A token that names one waiting call.
    mutating func token() -> UInt64 {
        nextToken &+= 1
        return nextToken
    }

    /// Adds a waiting call; false (and the call is not kept) when `key` is not opening any more.
    mutating func add(_ waiter: Waiter, token: UInt64, to key: Key) -> Bool {
        guard waiters[key] != nil else { return false }
        waiters[key]?[token] = waiter
        return true
    }

    /// Removes a waiting call whose task was cancelled; returns it to be resumed.
    mutating func remove(token: UInt64, from key: Key) -> Waiter? {
        waiters[key]?.removeValue(forKey: token)
    }

    /// Ends the attempt at `key`; returns the calls that waited for it.
    mutating func finish(_ key: Key) -> [Waiter] {
        waiters.removeValue(forKey: key).map { Array($0.values) } ?? []
    }
}
