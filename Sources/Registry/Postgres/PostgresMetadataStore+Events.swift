import PostgresNIO
import Wire

extension PostgresMetadataStore {
    /// The sequence number of the latest event (0 when the log is empty).
    public func latestSequence() async throws -> Int64 {
        let logger = logger
        return try await withConnection { connection in
            try await connection.query("SELECT COALESCE(MAX(seq), 0) FROM events", logger: logger).collect()
                .first?.decode(Int64.self) ?? 0
        }
    }

    /// Events with a sequence number above `sequence`, oldest first, at most `limit` (clamped to
    /// 0…2³¹−1, so `Int.max` means all), only of `kinds` (every kind when empty). Sequence numbers
    /// are assigned in commit order without gaps, so resuming from the last one seen is exact.
    public func events(after sequence: Int64, kinds: Set<EventKind>, limit: Int) async throws -> [RegistryEvent] {
        let clamped = Int64(min(max(limit, 0), Int(Int32.max)))
        let kindNames = kinds.map(\.rawValue).sorted()
        let logger = logger
        return try await withConnection { connection in
            let query: PostgresQuery =
                if kindNames.isEmpty {
                    "SELECT seq, kind, name, payload, created FROM events WHERE seq > \(sequence) ORDER BY seq LIMIT \(clamped)"
                } else {
                    "SELECT seq, kind, name, payload, created FROM events WHERE seq > \(sequence) AND kind = ANY(\(kindNames)) ORDER BY seq LIMIT \(clamped)"
                }
            return try await connection.query(query, logger: logger).collect().map { row in
                let (seq, kindText, name, payload, created) = try row.decode(
                    (Int64, String, String, String, Int64).self)
                guard let kind = EventKind(rawValue: kindText) else {
                    throw RegistryError.database("unknown event kind \"\(kindText)\" in the log")
                }
                return RegistryEvent(sequence: seq, kind: kind, name: name, payload: payload, createdMillis: created)
            }
        }
    }

    /// A stream that yields (coalesced) after changes commit on any replica sharing the database
    /// (through `LISTEN`, started on first use) and after this store's own commits.
    public func eventSignals() -> AsyncStream<Void> {
        let stream = notifier.signals()
        listener.start()
        return stream
    }
}
