import Logging
import PostgresNIO
import PostgresSupport
import Synchronization

/// Holds one connection of its own doing `LISTEN churn_registry_events` and wakes the store's
/// subscribers on every notification (the payload, a sequence number, is not needed: subscribers
/// read `events(after:)`). When the connection drops it reconnects with capped backoff
/// (0.1 s doubling to 2 s) and wakes subscribers once after reconnecting, since a notification may
/// have been sent while it was down.
final class PostgresEventListener: Sendable {
    private let configuration: PostgresConnection.Configuration
    private let notifier: EventNotifier
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// How many times LISTEN has been established (for tests).
    let connections = Counter()

    /// A counter shared with the listening task.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)

        /// The current count.
        var count: Int { value.load(ordering: .relaxed) }

        /// Adds one.
        func increment() { value.add(1, ordering: .relaxed) }
    }

    /// A listener that connects with `configuration` and signals `notifier`.
    init(configuration: PostgresConnection.Configuration, notifier: EventNotifier, logger: Logger) {
        self.configuration = configuration
        self.notifier = notifier
        self.logger = logger
    }

    /// Starts listening unless it already is.
    func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [configuration, notifier, logger, connections] in
                await Self.listen(
                    configuration: configuration, notifier: notifier, logger: logger, connections: connections)
            }
        }
    }

    /// Stops listening and closes the connection.
    func stop() async {
        let running = task.withLock { task in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }

    private static func listen(
        configuration: PostgresConnection.Configuration, notifier: EventNotifier, logger: Logger, connections: Counter
    ) async {
        await PostgresChannelListener.run(
            configuration: configuration, channel: PostgresWrite.channel, name: "PostgreSQL event listener",
            logger: logger,
            onListening: {
                connections.increment()
                // Anything committed while there was no listener is found by this wake-up.
                notifier.signal()
            },
            onNotification: { _ in notifier.signal() })
    }
}
