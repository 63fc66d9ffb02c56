import Foundation
import NIOCore
import Testing
import Wire

/// ``RegistryLink`` over a list of registry replicas, against real registry servers in this
/// process (each over its own directory: enough to tell from the answers which one served).
@Suite("Registry link failover", .serialized)
struct RegistryLinkFailoverTests {
    /// Client settings with a request timeout of `timeoutMillis`.
    static func configuration(timeoutMillis: Int64 = 30_000) -> WireClientConfiguration {
        var configuration = WireClientConfiguration(clientName: "test-link")
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .milliseconds(timeoutMillis)
        return configuration
    }

    @Test(
        "[dead port, live registry]: calls succeed on the live one, which keeps being used; even a non-retrying publish goes there"
    )
    func deadThenLive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let live = try await TestRegistry.start(directory: directory.path)
        let dead = try FailoverSupport.closedPort()
        let endpoints = try RoleEndpoints(parsing: "127.0.0.1:\(dead),127.0.0.1:\(live.port)", role: "registry")
        let link = RegistryLink(endpoints: endpoints, configuration: Self.configuration())

        #expect(try await link.run { try await $0.datasets() }.isEmpty)
        #expect(await link.currentEndpoint == RoleEndpoint(host: "127.0.0.1", port: live.port))
        // Connecting failed before anything was sent: a publish may move on to the next address.
        let bundle = try RegistrySourceTests.bundles(1)[0]
        let version = try await link.run(retrying: false) { try await $0.publishModel(bundle: bundle, name: "churn") }
        #expect(version.version == 1)
        _ = try await link.run { try await $0.search("name = \"churn\"") }
        #expect(await link.currentEndpoint == RoleEndpoint(host: "127.0.0.1", port: live.port))
        // Three calls on one kept connection: the live registry accepted it and this probe, no more.
        #expect(try await FailoverSupport.connectionsTotal(port: live.port) == 2)
        #expect(try await FailoverSupport.versionCount("churn", port: live.port) == 1)

        await link.close()
        try await live.stop()
    }

    @Test("the registry in use stops: the next call succeeds on the other; with both gone the error names each address")
    func liveStoppedMidway() async throws {
        let directoryA = try TemporaryDirectory()
        let directoryB = try TemporaryDirectory()
        defer {
            directoryA.remove()
            directoryB.remove()
        }
        let first = try await TestRegistry.start(directory: directoryA.path)
        let second = try await TestRegistry.start(directory: directoryB.path)
        // Only the second registry holds a dataset: the answers tell which one served.
        let seed = try await second.client()
        _ = try await seed.pushDataset(bytes: FailoverSupport.csv, name: "only-on-second")
        await seed.close()

        let endpoints = try RoleEndpoints(parsing: "127.0.0.1:\(first.port),127.0.0.1:\(second.port)", role: "registry")
        let link = RegistryLink(endpoints: endpoints, configuration: Self.configuration())
        #expect(try await link.run { try await $0.datasets() }.map(\.name) == [])
        #expect(await link.currentEndpoint.port == first.port)

        try await first.stop()
        #expect(try await link.run { try await $0.datasets() }.map(\.name) == ["only-on-second"])
        #expect(await link.currentEndpoint.port == second.port)
        #expect(try await link.run { try await $0.datasets() }.map(\.name) == ["only-on-second"])

        try await second.stop()
        let failure = await #expect(throws: RegistryUnreachable.self) {
            _ = try await link.run { try await $0.datasets() }
        }
        // Starting from the one that last worked (the second), then the first; each once.
        #expect(failure?.attempts.map(\.endpoint.port) == [second.port, first.port])
        let text = failure?.description ?? ""
        #expect(text.hasPrefix("no registry answered: 127.0.0.1:\(second.port) ("))
        #expect(text.contains(", 127.0.0.1:\(first.port) ("))
        await link.close()
    }

    @Test("a non-retrying publish whose answer is lost is not re-sent to the next replica; a retrying call is")
    func lostPublishIsNotResent() async throws {
        let directoryA = try TemporaryDirectory()
        let directoryB = try TemporaryDirectory()
        defer {
            directoryA.remove()
            directoryB.remove()
        }
        // The first registry applies publishes but answers 1.5 s later; the client gives up after 0.3 s.
        let slow = try await FailoverSupport.slowPublishRegistry(directory: directoryA.path, delay: .milliseconds(1500))
        let other = try await TestRegistry.start(directory: directoryB.path)
        let endpoints = try RoleEndpoints(parsing: "127.0.0.1:\(slow.port),127.0.0.1:\(other.port)", role: "registry")
        let link = RegistryLink(endpoints: endpoints, configuration: Self.configuration(timeoutMillis: 300))
        let bundle = try RegistrySourceTests.bundles(1)[0]

        await #expect(throws: WireClientError.self) {
            _ = try await link.run(retrying: false) { try await $0.publishModel(bundle: bundle, name: "churn") }
        }
        // Applied once on the first registry, never sent to the second.
        let appliedOnce = try await Eventually.within(10) {
            try await FailoverSupport.versionCount("churn", port: slow.port) == 1
        }
        #expect(appliedOnce != nil)
        #expect(try await FailoverSupport.versionCount("churn", port: other.port) == 0)

        // The same call allowed to repeat: sent again on a fresh connection to the next replica.
        let version = try await link.run(retrying: true) { try await $0.publishModel(bundle: bundle, name: "churn") }
        #expect(version.version == 1)
        #expect(await link.currentEndpoint.port == other.port)
        #expect(try await FailoverSupport.versionCount("churn", port: other.port) == 1)
        let appliedTwice = try await Eventually.within(10) {
            try await FailoverSupport.versionCount("churn", port: slow.port) == 2
        }
        #expect(appliedTwice != nil)

        await link.close()
        try await other.stop()
        try await slow.stop()
    }
}
