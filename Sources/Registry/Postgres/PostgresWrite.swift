import Logging
import PostgresNIO
import ServiceKit
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
    /// The keyed request this write answers, with its answer, recorded by the last statement.
    private(set) var remembered: (request: IdempotentRequest, outcome: String, created: Int64)?

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

    /// Records `request` and its answer with the write (see `appendQueuedEvents`).
    func remember(_ request: IdempotentRequest, outcome: String, at time: Int64) {
        remembered = (request, outcome, time)
    }

    /// The last statement of the write, one round trip: allocates sequence numbers for the queued
    /// events on the counter row, inserts them, and queues `pg_notify` with the last one (delivered
    /// at commit); records the remembered keyed request (dropping up to 100 expired entries no
    /// other transaction is dropping). Returns the last sequence number, or nil without events.
    ///
    /// A key another transaction recorded first fails the insert: `IdempotencyConflict` (then the
    /// caller answers with the first answer, and this transaction rolls back).
    @discardableResult
    func appendQueuedEvents() async throws -> Int64? {
        guard !events.isEmpty || remembered != nil else { return nil }
        let count = Int64(events.count)
        let (kinds, names) = (events.map(\.kind.rawValue), events.map(\.name))
        let (payloads, times) = (events.map(\.payload), events.map(\.created))
        var bindings = PostgresBindings()
        bindings.append(count)
        bindings.append(kinds)
        bindings.append(names)
        bindings.append(payloads)
        bindings.append(times)
        bindings.append(Self.channel)
        var ledger = ""
        if let remembered {
            bindings.append(remembered.request.key)
            bindings.append(Int32(remembered.request.opcode))
            bindings.append(remembered.request.requestSHA256)
            bindings.append(remembered.outcome)
            bindings.append(remembered.created)
            bindings.append(remembered.created - IdempotentRequest.retentionMillis)
            ledger = """
                , expired AS (
                    DELETE FROM idempotency WHERE key IN (
                        SELECT key FROM idempotency WHERE created < $12 AND key <> $7 LIMIT 100 FOR UPDATE SKIP LOCKED)),
                remembered AS (
                    INSERT INTO idempotency (key, opcode, request_sha256, outcome, created) VALUES ($7, $8, $9, $10, $11))
                """
        }
        let statement = """
            WITH counter AS (UPDATE event_counter SET seq = seq + $1 WHERE id = 1 AND $1 > 0 RETURNING seq),
            appended AS (
                INSERT INTO events (seq, kind, name, payload, created)
                SELECT counter.seq - $1 + queued.position, queued.kind, queued.name, queued.payload, queued.created
                FROM counter, unnest($2::text[], $3::text[], $4::text[], $5::int8[])
                    WITH ORDINALITY AS queued (kind, name, payload, created, position))\(ledger)
            SELECT seq, pg_notify($6, seq::text) FROM counter
            """
        let rows: [PostgresRow]
        do {
            rows = try await self.rows(PostgresQuery(unsafeSQL: statement, binds: bindings))
        } catch let error as PSQLError
            where remembered != nil && PostgresFailure.isUniqueViolation(error, constraint: "idempotency_pkey")
        {
            throw IdempotencyConflict(key: remembered?.request.key ?? "")
        }
        events.removeAll()
        remembered = nil
        guard count > 0 else { return nil }
        guard let last = try rows.first?.decode(Int64.self) else {
            throw RegistryError.database("the event_counter row is missing")
        }
        return last
    }
}
