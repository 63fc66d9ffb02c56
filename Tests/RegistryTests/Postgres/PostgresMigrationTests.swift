import Testing

@testable import Registry

extension PostgresStoreTests {
    @Suite("migrations")
    struct Migrations {
        @Test("migrations are applied once and recorded one row each")
        func appliedOnce() async throws {
            try await PostgresTestDatabase.with { database async throws in
                let store = database.unmigratedStore()
                #expect(try await store.migrate() == [1, 2, 3])
                #expect(try await store.migrate() == [])
                #expect(
                    try await store.integers("SELECT version FROM schema_migrations ORDER BY version") == [1, 2, 3])
                // The v2 columns exist; the event counter starts at zero.
                #expect(
                    try await store.integers(
                        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'datasets' AND column_name IN ('dialect_json', 'profile_json')"
                    ) == [2])
                #expect(try await store.integers("SELECT seq FROM event_counter") == [0])
                #expect(try await store.latestSequence() == 0)
                await store.close()
            }
        }

        @Test("two stores migrating one fresh database at once both succeed, one row per migration")
        func concurrentMigrations() async throws {
            try await PostgresTestDatabase.with { database in
                let first = database.unmigratedStore()
                let second = database.unmigratedStore()
                async let a = first.migrate()
                async let b = second.migrate()
                let (appliedA, appliedB) = try await (a, b)
                // One of them applied both; the other waited for the lock and found nothing to do.
                #expect((appliedA + appliedB).sorted() == [1, 2, 3])
                #expect(appliedA.isEmpty || appliedB.isEmpty)
                #expect(
                    try await first.integers("SELECT version FROM schema_migrations ORDER BY version") == [1, 2, 3])
                #expect(try await first.integers("SELECT COUNT(*) FROM event_counter") == [1])
                await first.close()
                await second.close()
            }
        }
    }
}
