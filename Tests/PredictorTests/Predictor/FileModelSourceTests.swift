import ChurnML
import Foundation
import Logging
import Predictor
import Testing

/// The file source: version from the SHA-256, no decode when unchanged, typed refusals, polling.
@Suite("File model source")
struct FileModelSourceTests {
    @Test func loadsVerifiesAndSkipsUnchangedFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("best model.safetensors")
        try TestData.model().write(to: path)
        let digest = SHA256Digest.hex(of: try FileBytes.read(path))
        let source = FileModelSource(path: path)
        #expect(source.name == "best model")
        #expect(FileModelSource(path: path, name: "prod").name == "prod")
        let candidate = try #require(try await source.load(current: nil))
        #expect(
            candidate.sha256 == digest && candidate.version == String(digest.prefix(12)) && candidate.source == path)
        #expect(candidate.bundle == (try ModelBundle.load(path: path)))
        #expect(try await source.load(current: digest) == nil)

        try TemporaryDirectory.replace(path, with: Array("not a model".utf8))
        await #expect(throws: ModelSourceError.self) { _ = try await source.load(current: digest) }
        do {
            _ = try await source.load(current: digest)
        } catch {
            #expect(error.code == .conflict)
        }
        try FileManager.default.removeItem(atPath: path)
        do {
            _ = try await source.load(current: digest)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.description.contains(path))
        }
    }

    @Test func pollingSignalsAReplacedFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("m.safetensors")
        try TestData.model().write(to: path)
        let source = FileModelSource(path: path, pollInterval: 0.02)
        #expect(FileModelSource(path: path, pollInterval: 0).pollInterval == nil)
        let changes = source.changes()
        let waiter = Task { () -> Bool in
            for await _ in changes { return true }
            return false
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        try TestData.variant(try TestData.model(), delta: 0.5).write(to: path)
        let signalled = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await waiter.value }
            group.addTask {
                try await Task.sleep(nanoseconds: 5_000_000_000)
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            waiter.cancel()
            return first
        }
        #expect(signalled)
    }

    @Test func loaderFollowsPolledChangesAndSwaps() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("m.safetensors")
        try TestData.model().write(to: path)
        let store = ModelStore()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let loader = ModelLoader(source: FileModelSource(path: path, pollInterval: 0.02), store: store, logger: logger)
        #expect(store.health().status == .degraded)
        await loader.reload()
        #expect(store.current?.identity.generation == 1)
        #expect(store.health().status == .serving)
        let following = Task { await loader.followChanges() }
        defer { following.cancel() }
        try TestData.variant(try TestData.model(), delta: 0.5).write(to: path)
        let deadline = ContinuousClock.now + .seconds(20)  // generous: the whole suite runs in parallel on 2 cores
        while store.current?.identity.generation != 2, ContinuousClock.now < deadline {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(store.current?.identity.generation == 2)
        #expect(store.current?.identity.sha256 == SHA256Digest.hex(of: try FileBytes.read(path)))
    }
}
