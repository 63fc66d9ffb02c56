import Foundation
import ServiceKit
import Testing

@testable import Registry

extension PostgresStoreTests {
    @Suite("failures")
    struct Failures {
        @Test("problem() is nil when PostgreSQL answers")
        func healthy() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    #expect(await store.problem() == nil)
                }
            }
        }

        @Test(
            "nothing listening: problem() explains within ~3 s and operations fail with unavailable within the deadline"
        )
        func nothingListening() async throws {
            let port = try PostgresFixtures.freePort()
            let location = try PostgresLocation(url: "postgres://churn@127.0.0.1:\(port)/churn")
            var configuration = PostgresMetadataStore.Configuration()
            configuration.operationTimeout = .seconds(2)
            let store = PostgresMetadataStore(
                location: location, configuration: configuration, logger: PostgresTestDatabase.logger)

            var started = ContinuousClock.now
            let problem = await store.problem()
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(problem?.contains("PostgreSQL at 127.0.0.1:\(port)") == true, "\(problem ?? "nil")")

            started = ContinuousClock.now
            do {
                _ = try await store.latestSequence()
                Issue.record("latestSequence() succeeded with nothing listening")
            } catch let error as RegistryError {
                guard case .unavailable(let detail) = error else {
                    Issue.record("expected unavailable, got \(error)")
                    return
                }
                #expect(detail.hasPrefix("PostgreSQL at 127.0.0.1:\(port): "), "\(detail)")
            }
            #expect(ContinuousClock.now - started < .milliseconds(3000))
            await #expect(throws: RegistryError.self) {
                try await store.insertVersion(PostgresFixtures.draft("x"), alias: nil, who: "", at: 1)
            }
            await store.close()
        }

        @Test("SQL errors carry the server's message")
        func sqlError() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { store in
                    do {
                        try await store.execute("SELECT * FROM no_such_table")
                        Issue.record("the query succeeded")
                    } catch let error as RegistryError {
                        #expect(error == .database("relation \"no_such_table\" does not exist"), "\(error)")
                    }
                }
            }
        }
    }
}
