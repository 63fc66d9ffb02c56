import Foundation
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

        @Test("nothing listening: problem() explains within ~3 s and operations fail with unavailable within the deadline")
        func nothingListening() async throws {
            let port = try PostgresFixtures.freePort()
            let location = try PostgresLocation(url: "postgres://churn@127.0.0.1:\(port)/churn")
            var configuration = PostgresMetadataStore.Configuration()
            configuration.operationTimeout = .seconds(2)
            let store = PostgresMetadataStore(location: location, configuration: configuration, logger: PostgresTestDatabase.logger)

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

        @Test("after PostgreSQL restarts the same store works again, and its listener reconnects",
              .enabled(if: PostgresTestDatabase.serverDirectory != nil, "set CHURN_TEST_POSTGRES_DIR"))
        func restart() async throws {
            try await PostgresTestDatabase.with { database in
                try await database.withStore { storeA in
                    try await database.withStore { storeB in
                        _ = try await storeA.insertVersion(PostgresFixtures.draft("before"), alias: nil, who: "", at: 1)
                        let signals = SignalCounter(storeB.eventSignals())
                        defer { signals.stop() }
                        try await waitUntil(seconds: 5) { storeB.listener.connections.count >= 1 }

                        try restartServer()
                        trace("restarted")

                        // The pool reconnects by itself: retry for a while (calls fail while it is down).
                        var published: Int?
                        let deadline = ContinuousClock.now + .seconds(20)
                        while published == nil, ContinuousClock.now < deadline {
                            do {
                                published = try await storeA.insertVersion(PostgresFixtures.draft("after", seed: 2), alias: nil, who: "", at: 2).version
                            } catch let error as RegistryError {
                                guard case .unavailable = error else { throw error }
                                try await Task.sleep(for: .milliseconds(200))
                            }
                        }
                        trace("published \(String(describing: published))")
                        #expect(published == 1)
                        #expect(try await storeB.events(after: 0, kinds: [], limit: 10).map(\.name) == ["before", "after"])
                        // The listener reconnected (and a write on A wakes B again).
                        try await waitUntil(seconds: 10) { storeB.listener.connections.count >= 2 }
                        trace("listener reconnected")
                        try await Task.sleep(for: .milliseconds(200))
                        let before = signals.count
                        _ = try await storeA.insertVersion(PostgresFixtures.draft("after", seed: 3), alias: nil, who: "", at: 3)
                        try await waitUntil(seconds: 2) { signals.count > before }
                        trace("woken; closing")
                    }
                }
            }
        }
    }
}

/// Restarts the test server (`pg_ctl restart -m fast` as the postgres user). Spawned and reaped
/// directly: Foundation's `Process` did not notice `runuser` exiting here (it stayed a zombie).
private func restartServer() throws {
    guard let directory = PostgresTestDatabase.serverDirectory else { return }
    let command = "/usr/lib/postgresql/15/bin/pg_ctl restart -D '\(directory)/data' -m fast -w -l '\(directory)/postgres.log' >/dev/null 2>&1 </dev/null"
    let arguments = ["/usr/sbin/runuser", "-u", "postgres", "--", "/bin/sh", "-c", command]
    var argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], nil, nil, &argv, environ)
    #expect(spawned == 0)
    guard spawned == 0 else { return }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    #expect(status == 0, "pg_ctl restart failed: status \(status)")
}

/// Progress of the restart test on stderr (unbuffered), to locate a hang.
private func trace(_ message: String) {
    FileHandle.standardError.write(Data("restart test: \(message)\n".utf8))
}
