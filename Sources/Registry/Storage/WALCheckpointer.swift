import Foundation
import GRDB
import Synchronization

/// Moves committed pages from the write-ahead log into the database file in the background.
///
/// SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, which then
/// also pays for writing and fsyncing the database file: with `synchronous = FULL` that made one
/// publish in a hundred several times slower than the rest. The index therefore raises the
/// automatic threshold (`RegistryIndex.autoCheckpointPages`, a safety net only) and this type
/// runs a PASSIVE checkpoint on its own connection and its own thread every `interval`, which
/// never blocks writers or readers.
final class WALCheckpointer: Sendable {
    /// How often the checkpoint runs, in seconds.
    static let interval = 0.2

    /// Set when the owner goes away; the thread checks it after every nap.
    private final class StopFlag: Sendable {
        let stopped = Mutex(false)
    }

    private let connection: DatabaseQueue
    private let flag = StopFlag()

    /// Opens a second connection to the index at `path` and starts the timer.
    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "churn.registry.checkpoint"
        configuration.busyMode = .timeout(1)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        self.connection = connection
        let flag = self.flag
        let thread = Thread {
            while !flag.stopped.withLock({ $0 }) {
                Thread.sleep(forTimeInterval: WALCheckpointer.interval)
                // A busy or failed checkpoint is retried on the next round; the automatic one
                // remains as a safety net.
                _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            }
        }
        thread.name = "churn.registry.checkpoint"
        thread.start()
    }

    /// Runs one checkpoint now (tests and shutdown).
    func checkpoint() throws {
        _ = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    deinit {
        flag.stopped.withLock { $0 = true }
    }
}
