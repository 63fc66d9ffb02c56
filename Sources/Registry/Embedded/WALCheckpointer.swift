import Foundation
import GRDB
import Synchronization

/// Moves committed pages from the write-ahead log into the database file in the background, in
/// the gaps between writes.
///
/// SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, which then
/// also pays for writing and fsyncing the database file: with `synchronous = FULL` that made one
/// publish in a hundred several times slower than the rest. The index therefore raises the
/// automatic threshold (`RegistryIndex.autoCheckpointPages`, a safety net only) and this type runs
/// a PASSIVE checkpoint on its own connection and its own thread, which never blocks writers or
/// readers — but its fsync of the database file (megabytes after a burst) does hold up the small
/// fsyncs of commits running beside it on the same disk (seen as 7 ms → 15–18 ms publish p99). So
/// it checkpoints when the writers are idle (no write for ``idleGap`` seconds), and under
/// continuous writing only every ``maximumInterval`` seconds, so that the stall hits a commit in
/// hundreds rather than one in tens.
final class WALCheckpointer: Sendable {
    /// How often the thread looks, in seconds.
    static let tick = 0.05
    /// Seconds without a write after which pending pages are checkpointed.
    static let idleGap = 0.1
    /// Longest time pending pages wait under continuous writing, in seconds.
    static let maximumInterval = 2.0

    /// Writes seen and the owner's liveness, shared with the thread.
    private final class Shared: Sendable {
        struct State {
            var stopped = false
            var pendingWrites = 0
            var lastWrite: UInt64 = 0
            var lastCheckpoint: UInt64 = 0
        }
        let state = Mutex(State())
    }

    private let connection: DatabaseQueue
    private let shared = Shared()

    /// Opens a second connection to the index at `path` and starts the thread.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "churn.registry.checkpoint"
        configuration.busyMode = .timeout(1)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        let shared = self.shared
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: WALCheckpointer.tick)
                let now = DispatchTime.now().uptimeNanoseconds
                let due = shared.state.withLock { state -> Bool? in
                    if state.stopped { return nil }
                    return Self.isDue(state, now: now)
                }
                guard let due else { return }
                guard due else { continue }
                shared.state.withLock {
                    $0.pendingWrites = 0
                    $0.lastCheckpoint = now
                }
                // A busy or failed checkpoint is retried after the next write; the automatic one
                // remains as a safety net.
                _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            }
        }
        thread.name = "churn.registry.checkpoint"
        thread.start()
    }

    /// Whether pending pages should be checkpointed `now` (uptime nanoseconds).
    private static func isDue(_ state: Shared.State, now: UInt64) -> Bool {
        guard state.pendingWrites > 0 else { return false }
        let sinceWrite = Double(now &- state.lastWrite) / 1e9
        let sinceCheckpoint = Double(now &- state.lastCheckpoint) / 1e9
        return sinceWrite >= idleGap || sinceCheckpoint >= maximumInterval
    }

    /// Notes a committed write (its pages are now in the log).
    func noteWrite() {
        let now = DispatchTime.now().uptimeNanoseconds
        shared.state.withLock {
            if $0.pendingWrites == 0 && $0.lastCheckpoint == 0 { $0.lastCheckpoint = now }
            $0.pendingWrites += 1
            $0.lastWrite = now
        }
    }

    /// Runs one checkpoint now (tests and shutdown).
    func checkpoint() throws {
        _ = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    deinit {
        shared.state.withLock { $0.stopped = true }
    }
}
