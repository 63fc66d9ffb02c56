import Foundation
import Logging
import ServiceKit
import Testing
import Wire

@testable import Trainer

/// A trainer whose shared queue cannot be reached says so in Health (degraded, naming the queue),
/// so clients' pools take it out of rotation; its requests answer `unavailable`.
@Suite("Trainer health over an unreachable job queue")
struct JobQueueHealthTests {
    @Test("PostgreSQL refusing connections: Health degraded naming the queue; SubmitJob answers unavailable")
    func unreachableQueue() async throws {
        // Port 1 (tcpmux): nothing listens there on these machines, so connections are refused.
        let location = PostgresLocation(host: "127.0.0.1", port: 1, user: "churn", database: "churn")
        let queue = PostgresJobQueue(
            location: location, instance: "t", operationTimeout: .seconds(2), logger: quietLogger)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("health-\(UUID().uuidString)")
            .path
        let runner = JobRunner(
            store: queue, backend: try LocalDirectoryBackend(directory: directory), lease: .seconds(1),
            logger: quietLogger)
        #expect(runner.health().status == .serving, "nothing tried yet")
        try await runner.start()
        let health = runner.health()
        #expect(health.status == .degraded)
        #expect(health.detail.contains("job queue PostgreSQL postgres://churn@127.0.0.1:1/churn"), "\(health.detail)")
        let handler = TrainerHandler(runner: runner, logger: quietLogger)
        #expect(handler.health().status == .degraded)
        await #expect(throws: JobQueueError.self) {
            _ = try await runner.submit(dataset: "bank", modelName: "m", configuration: .init())
        }
        await runner.stop()
        await queue.close()
    }

}
