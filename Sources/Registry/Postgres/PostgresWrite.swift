import Logging
import PostgresNIO
import Wire

/// One write transaction of `PostgresMetadataStore`: its connection, and the events it will
/// append when it finishes (the outbox).
///
/// Events are queued while the change is made and written by `appendQueuedEvents()` as the last
/// statements of the transaction: the `event_counter` row lock taken there is held until commit,
/// so sequence numbers are handed out in commit order, without gaps, and a reader resuming with
/// `seq > last` never skips an event that commits late. Lock order inside every write: the model
/// name's `model_names` row, then aliases, then `event_counter`.
final class PostgresWrite: @unchecked Sendable {
    /// The NOTIFY channel; the payload is only the latest sequence number.
    static let channel = "churn_registry_events"

    /// The transaction's connection.
    let connection: PostgresConnection
    /// Where statements log.
    let logger: Logger
    /// Events to append at the end, in order.
    private(set) var events: [(kind: EventKind, name: String, payload: String, created: Int64)] = []

    /// Wraps a connection on which `BEGIN` has run.
    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Runs `query` and returns every row.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Queues an event with its ``EventPayload`` JSON (written by `appendQueuedEvents`).
    func queueEvent(_ kind: EventKind, name: String, payload: String, at time: Int64) {
        events.append((kind, name, payload, time))
    }

    /// Allocates sequence numbers for the queued events on the counter row, inserts them, and
    /// queues `pg_notify` with the last one (delivered at commit), in one statement. Returns the
    /// last sequence number, or nil when there were no events.
    @discardableResult
    func appendQueuedEvents() async throws -> Int64? {
        guard !events.isEmpty else { return nil }
        let count = Int64(events.count)
        let (kinds, names) = (events.map(\.kind.rawValue), events.map(\.name))
        let (payloads, times) = (events.map(\.payload), events.map(\.created))
        let rows = try await rows(
            """
            WITH counter AS (UPDATE event_counter SET seq = seq + \(count) WHERE id = 1 RETURNING seq),
            appended AS (
                INSERT INTO events (seq, kind, name, payload, created)
                SELECT counter.seq - \(count) + queued.position, queued.kind, queued.name, queued.payload, queued.created
                FROM counter, unnest(\(kinds)::text[], \(names)::text[], \(payloads)::text[], \(times)::int8[])
                    WITH ORDINALITY AS queued (kind, name, payload, created, position))
            SELECT seq, pg_notify(\(Self.channel), seq::text) FROM counter
            """)
        guard let last = try rows.first?.decode(Int64.self) else {
            throw RegistryError.database("the event_counter row is missing")
        }
        events.removeAll()
        return last
    }
}
