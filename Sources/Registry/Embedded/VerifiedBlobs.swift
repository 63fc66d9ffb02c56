import Synchronization

/// Remembers which blob files were verified against their SHA-256 a moment ago, so a download
/// served in many ranged requests hashes the blob once, not once per chunk.
///
/// An entry is keyed by digest and holds the file's ``FileStamp`` (size, inode, modification and
/// change times) at verification. It counts only while the file still has that stamp — any write,
/// rename or replacement changes it — and for at most ``lifetime`` seconds, after which the blob is
/// hashed again. The client verifies the whole blob's digest after the last chunk in any case.
final class VerifiedBlobs: Sendable {
    /// Seconds a verification is trusted for.
    static let lifetime: Double = 60
    /// Entries kept at most (the oldest go first).
    static let capacity = 1024

    private struct Entry {
        var stamp: FileStamp
        var verifiedAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// True when `digest` was verified within the lifetime while its file had `stamp`.
    func isVerified(_ digest: String, stamp: FileStamp, now: Double) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[digest] else { return false }
            return entry.stamp == stamp && now - entry.verifiedAt < Self.lifetime
        }
    }

    /// Records that `digest` hashed correctly at `now` while its file had `stamp`.
    func record(_ digest: String, stamp: FileStamp, now: Double) {
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
