import Synchronization

/// Remembers which blobs were verified against their SHA-256 a moment ago, so a download served in
/// many ranged requests hashes the blob once, not once per chunk.
///
/// An entry is keyed by digest and holds the blob's `Stamp` at verification: for a file its
/// ``FileStamp`` (size, inode, modification and change times), for an object in an object store its
/// ``S3ObjectStamp`` (ETag and size). It counts only while the blob still has that stamp — any
/// write, rename or replacement changes it — and for at most ``lifetime`` seconds, after which the
/// blob is hashed again. The client verifies the whole blob's digest after the last chunk in any case.
final class VerifiedBlobs<Stamp: Equatable & Sendable>: Sendable {
    /// Seconds a verification is trusted for.
    static var lifetime: Double { 60 }
    /// Entries kept at most (the oldest go first).
    static var capacity: Int { 1024 }

    private struct Entry {
        var stamp: Stamp
        var verifiedAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// True when `digest` was verified within the lifetime while its blob had `stamp`.
    func isVerified(_ digest: String, stamp: Stamp, now: Double) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[digest] else { return false }
            return entry.stamp == stamp && now - entry.verifiedAt < Self.lifetime
        }
    }

    /// The stamp `digest` had when it was verified, if that was within the lifetime (for stores
    /// that learn a blob's current stamp only by asking, e.g. with a ranged GET that returns it).
    func verifiedStamp(_ digest: String, now: Double) -> Stamp? {
        entries.withLock { entries in
            guard let entry = entries[digest], now - entry.verifiedAt < Self.lifetime else { return nil }
            return entry.stamp
        }
    }

    /// Records that `digest` hashed correctly at `now` while its blob had `stamp`.
    func record(_ digest: String, stamp: Stamp, now: Double) {
        entries.withLock { entries in
            if entries.count >= Self.capacity, entries[digest] == nil {
                let expired = entries.filter { now - $0.value.verifiedAt >= Self.lifetime }.map(\.key)
                for key in expired { entries.removeValue(forKey: key) }
                if entries.count >= Self.capacity,
                    let oldest = entries.min(by: { $0.value.verifiedAt < $1.value.verifiedAt })?.key
                {
                    entries.removeValue(forKey: oldest)
                }
            }
            entries[digest] = Entry(stamp: stamp, verifiedAt: now)
        }
    }
}
