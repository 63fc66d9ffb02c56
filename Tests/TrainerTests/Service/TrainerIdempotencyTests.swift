import ChurnChaos
import ChurnML
import Foundation
import Testing
import Trainer
import Wire

/// Keyed SubmitJob and CancelJob (wire.md §2.4): the answer is lost after the trainer applied the
/// request, the client retries with the same key on a fresh connection, and the write is applied
/// once: one job, one cancellation.
@Suite("Trainer idempotent retries", .serialized)
struct TrainerIdempotencyTests {
    @Test("a SubmitJob or CancelJob whose answer is lost is applied once and answered with its job")
    func lostAnswersAreAppliedOnce() async throws {
        let directory = try temporaryDirectory("trainer-idempotency")
        let registry = try await RunningServer.registry(directory: "\(directory)/registry")
        let trainer = try await RunningTrainer.start(directory: directory, registryPort: registry.port)
        let registryClient = try await RegistryClient.connect(host: "127.0.0.1", port: registry.port)
        _ = try await registryClient.pushDataset(bytes: SyntheticBankData.csv(rows: 1500, seed: 5), name: "bank")
        let proxy = try await AnswerDroppingProxy.start(targetHost: "127.0.0.1", targetPort: trainer.server.port)
        let direct = try await trainer.client()

        // A long job occupies the one training slot, so the next one stays queued.
        let busy = try await direct.submit(SubmitJobRequest(dataset: "bank", options: ["epochs": .integer(500)]))

        /// Runs `body` through the proxy with the answer to `opcode` dropped once, then again on a
        /// fresh connection with the same keys (what RegistryLink and the gateway do).
        func withLostAnswer(to opcode: Opcode, _ body: (TrainerClient) async throws -> JobRecord) async throws
            -> JobRecord
        {
            let keys = IdempotencyKeys()
            proxy.dropNextAnswer(to: opcode)
            let first = try await TrainerClient.connect(host: "127.0.0.1", port: proxy.port)
            await #expect(throws: WireClientError.self) {
                _ = try await body(TrainerClient(wire: first.wire, keys: keys.restarted()))
            }
            await first.close()
            let second = try await TrainerClient.connect(host: "127.0.0.1", port: proxy.port)
            defer { Task { await second.close() } }
            return try await body(TrainerClient(wire: second.wire, keys: keys.restarted()))
        }

        let request = SubmitJobRequest(dataset: "bank", options: ["epochs": .integer(1)], tags: ["try": "keyed"])
        let submitted = try await withLostAnswer(to: .submitJob) { try await $0.submit(request) }
        #expect(submitted.id == busy.id + 1)
        #expect(try await direct.list().map(\.id).sorted() == [busy.id, submitted.id])

        let cancelled = try await withLostAnswer(to: .cancelJob) { try await $0.cancel(submitted.id) }
        #expect(cancelled.id == submitted.id && cancelled.state == .cancelled)
        #expect(try await direct.status(submitted.id).state == .cancelled)
        #expect(proxy.dropped == [.submitJob, .cancelJob])

        // The same key for another request is refused; a plain resubmission makes a new job.
        let key = IdempotencyKey.random()
        let body = try JSONDocument(encoding: request).encodedBody()
        _ = try await direct.wire.request(opcode: .submitJob, body: body, idempotencyKey: key)
        await #expect {
            _ = try await direct.wire.request(
                opcode: .cancelJob, body: try JSONDocument(encoding: CancelJobRequest(id: busy.id)).encodedBody(),
                idempotencyKey: key)
        } throws: { error in
            if case .server(.invalidRequest, let message, "idempotencyKey") = error as? WireClientError {
                return message.contains(key.description)
            }
            return false
        }
        #expect(try await direct.status(busy.id).state != .cancelled)
        #expect(try await direct.list().count == 3)

        _ = try await direct.cancel(busy.id)
        await direct.close()
        await registryClient.close()
        await proxy.close()
        try await trainer.server.stop()
        try await registry.stop()
    }
}
