import ChurnChaos
import Foundation
import NIOCore
import Testing
import Wire

@testable import Registry

/// Keyed writes (wire.md §2.4): the answer to each registry write is lost in turn (the proxy drops
/// it after the server applied the write, then closes the connection), the client retries with the
/// same key on a fresh connection, and the write is applied once — on both store kinds.
@Suite("Registry idempotent retries")
struct IdempotentRetryTests {
    /// The registry of one test behind an answer-dropping proxy, with a link through the proxy.
    struct Setup {
        let store: TestStore
        let registry: RunningRegistry
        let proxy: AnswerDroppingProxy
        let link: RegistryLink

        static func start(_ kind: StoreKind) async throws -> Setup {
            let store = try await TestStore.make(kind)
            let registry = try await RunningRegistry.start(store: store.store)
            let proxy = try await AnswerDroppingProxy.start(targetHost: "127.0.0.1", targetPort: registry.port)
            let link = RegistryLink(
                host: "127.0.0.1", port: proxy.port, configuration: WireClientConfiguration(clientName: "retry-test"))
            return Setup(store: store, registry: registry, proxy: proxy, link: link)
        }

        func stop() async throws {
            await link.close()
            await proxy.close()
            try await registry.stop()
            store.remove()
        }

        /// Runs `body` through the link after arranging for the answer to `opcode` to be dropped
        /// once; checks that it was dropped (so the call's result came from the retry).
        func withLostAnswer<T: Sendable>(
            to opcode: Opcode, _ body: @escaping @Sendable (RegistryClient) async throws -> T
        ) async throws -> T {
            let before = proxy.dropped.count
            proxy.dropNextAnswer(to: opcode)
            let result = try await link.run(body)
            #expect(proxy.dropped.count == before + 1, "the answer to \(opcode.hex) was not dropped")
            return result
        }

        /// The kinds of every logged event, in order.
        func eventKinds() async throws -> [String] {
            try await store.store.events(after: 0, limit: 10_000).map(\.kind.rawValue)
        }
    }

    @Test(
        "every keyed registry write whose answer is lost is applied once and answered with its first outcome",
        arguments: StoreKind.all)
    func lostAnswersAreAppliedOnce(kind: StoreKind) async throws {
        let setup = try await Setup.start(kind)
        let store = setup.store.store
        let bundle = try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7)
        let csv = RegistryFixtures.datasetCSV()

        // Push (blob upload, then a keyed DatasetRegister whose answer is lost).
        let pushed = try await setup.withLostAnswer(to: .datasetRegister) {
            try await $0.pushDataset(bytes: csv, name: "bank")
        }
        #expect(pushed.name == "bank" && pushed.sha256 == BlobDigest(hashing: csv).hex)
        #expect(try await store.datasets(name: "bank").count == 1)

        // Inline publish: without the key the retry would make version 2.
        let inline = try await setup.withLostAnswer(to: .modelPublishInline) {
            try await $0.publishModel(bundle: bundle, name: "churn")
        }
        #expect(inline.version == 1)
        #expect(try await store.versions(of: "churn").map(\.version) == [1])

        // Chunked publish: upload, then a keyed ModelPublish.
        let chunked = try await setup.withLostAnswer(to: .modelPublish) { client in
            let digest = try await client.upload(bytes: bundle, name: "churn")
            return try await client.call(ModelPublishRequest(name: "churn", sha256: digest, tags: ["route": "chunked"]))
        }
        #expect(chunked.version == 2 && chunked.tags["route"] == "chunked")
        #expect(try await store.versions(of: "churn").map(\.version) == [1, 2])

        // Alias set, then remove: without the key the retried remove would find no alias (notFound).
        let set = try await setup.withLostAnswer(to: .aliasSet) {
            try await $0.call(AliasSetRequest(name: "churn", alias: "production", version: 1))
        }
        #expect(set.fromVersion == nil && set.toVersion == 1)
        let removed = try await setup.withLostAnswer(to: .aliasRemove) {
            try await $0.call(AliasRemoveRequest(name: "churn", alias: "production"))
        }
        #expect(removed.fromVersion == 1 && removed.toVersion == nil)
        #expect(try await store.aliasHistory(name: "churn").map(\.toVersion) == [1, nil])

        // Delete: without the key the retry would find no version 2 (notFound).
        let deleted = try await setup.withLostAnswer(to: .modelDelete) {
            try await $0.call(ModelDeleteRequest(name: "churn", version: 2))
        }
        #expect(deleted.version == 2)
        #expect(try await store.versions(of: "churn").map(\.version) == [1])

        // One event per write, nothing twice.
        #expect(
            try await setup.eventKinds() == [
                "dataset.pushed", "model.published", "model.published", "alias.moved", "alias.moved", "model.deleted",
            ])
        #expect(
            setup.proxy.dropped == [
                .datasetRegister, .modelPublishInline, .modelPublish, .aliasSet, .aliasRemove, .modelDelete,
            ])
        try await setup.stop()
    }

    @Test(
        "a repeated key returns the first answer byte for byte; a key reused for another request is refused",
        arguments: StoreKind.all)
    func repeatedKeyReplaysTheFirstAnswer(kind: StoreKind) async throws {
        let setup = try await Setup.start(kind)
        let client = try await setup.registry.client()
        let key = IdempotencyKey.random()
        let body = try JSONDocument(
            encoding: ModelPublishRequest(
                name: "churn",
                sha256: try await client.upload(
                    bytes: try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7), name: "churn"))
        ).encodedBody()
        let first = try await client.wire.request(opcode: .modelPublish, body: body, idempotencyKey: key)
        let second = try await client.wire.request(opcode: .modelPublish, body: body, idempotencyKey: key)
        #expect(first == second)
        // A plain (unkeyed) request is applied again.
        _ = try await client.wire.request(opcode: .modelPublish, body: body)
        #expect(try await setup.store.store.versions(of: "churn").map(\.version) == [1, 2])

        // Same key, other request: refused, naming the key, and nothing applied.
        let other = try JSONDocument(encoding: AliasSetRequest(name: "churn", alias: "production", version: 1))
            .encodedBody()
        await #expect {
            _ = try await client.wire.request(opcode: .aliasSet, body: other, idempotencyKey: key)
        } throws: { error in
            serverCode(error) == .invalidRequest && serverMessage(error).contains(key.description)
        }
        #expect(try await setup.store.store.aliases(of: "churn").isEmpty)

        // A second replica over the same storage answers the repeat from the shared ledger.
        if kind == .scaled {
            let replica = try await RunningRegistry.start(store: try await setup.store.reopen())
            let replicaClient = try await replica.client()
            let third = try await replicaClient.wire.request(opcode: .modelPublish, body: body, idempotencyKey: key)
            #expect(third == first)
            #expect(try await setup.store.store.versions(of: "churn").map(\.version) == [1, 2])
            await replicaClient.close()
            try await replica.stop()
        }
        await client.close()
        try await setup.stop()
    }

    @Test(
        "concurrent repeats of one key, on one replica or two, are applied once and all get the first answer",
        arguments: StoreKind.all)
    func concurrentRepeatsApplyOnce(kind: StoreKind) async throws {
        let setup = try await Setup.start(kind)
        let replica = kind == .scaled ? try await RunningRegistry.start(store: try await setup.store.reopen()) : nil
        let ports = [setup.registry.port, replica?.port ?? setup.registry.port]
        let client = try await setup.registry.client()
        let digest = try await client.upload(
            bytes: try RegistryFixtures.bundle(rocAUC: 0.8, accuracy: 0.7), name: "churn")
        let body = try JSONDocument(encoding: ModelPublishRequest(name: "churn", sha256: digest)).encodedBody()
        for round in 0..<5 {
            let key = IdempotencyKey.random()
            let answers = try await withThrowingTaskGroup(of: ByteBuffer.self) { group in
                for attempt in 0..<6 {
                    group.addTask {
                        let connection = try await RegistryClient.connect(host: "127.0.0.1", port: ports[attempt % 2])
                        defer { Task { await connection.close() } }
                        return try await connection.wire.request(opcode: .modelPublish, body: body, idempotencyKey: key)
                    }
                }
                return try await group.reduce(into: [ByteBuffer]()) { $0.append($1) }
            }
            #expect(Set(answers).count == 1, "round \(round): different answers to one key")
            #expect(try await setup.store.store.versions(of: "churn").count == round + 1)
        }
        await client.close()
        try await replica?.stop()
        try await setup.stop()
    }
}
