import Logging
import PostgresNIO

/// `LISTEN` on one PostgreSQL channel for as long as the calling task runs, on a connection of
/// its own: each notification goes to `onNotification`; a lost connection is reconnected after a
/// capped backoff (0.1 s doubling to 2 s, back to 0.1 s once `LISTEN` holds again). The registry's
/// event listener and the trainer's job listener both run on it.
package enum PostgresChannelListener {
    /// Listens until the task is cancelled. `onListening` runs each time `LISTEN` is established
    /// (a notification may have been sent while there was no listener); `name` says in the log
    /// which listener lost its connection.
    package static func run(
        configuration: PostgresConnection.Configuration, channel: String, name: String, logger: Logger,
        onListening: () async -> Void = {}, onNotification: (PostgresNotification) async -> Void
    ) async {
        var backoff = Duration.milliseconds(100)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: connectionID, logger: logger)
                do {
                    try await connection.listen(on: channel) { notifications in
                        backoff = .milliseconds(100)
                        await onListening()
                        for try await notification in notifications { await onNotification(notification) }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.notice(
                    "\(name) lost its connection; reconnecting",
                    metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(backoff)"])
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(2))
        }
    }
}
