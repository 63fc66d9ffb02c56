import Foundation
import NIOCore
import NIOPosix
import ServiceKit
import Testing
import Wire

/// ``RegistryLink`` and ``WireRoleClient/connect(endpoints:configuration:group:resolver:)`` over a
/// name with several addresses: each address is tried in turn, and errors name them.
@Suite("Registry link over DNS names", .serialized)
struct RegistryLinkNameTests {
    @Test(
        "the link fails over between a name's addresses, keeps the one that works, and names each address when all fail"
    )
    func linkTriesEveryAddress() async throws {
        let live = try await WirePoolNameTests.replica("live", host: "127.0.0.3", port: 0)
        let port = live.port
        let directory = WirePoolNameTests.Directory()
        directory.set(["127.0.0.2", "127.0.0.3"])  // nothing listens on .2
        let link = RegistryLink(
            endpoints: try RoleEndpoints(parsing: "registry.test:\(port)", role: "registry"),
            configuration: WireClientConfiguration(clientName: "link-test"),
            resolver: directory.resolver)

        #expect(try await link.run { $0.wire.hello.serverVersion } == "live")
        #expect(await link.currentEndpoint == RoleEndpoint(host: "registry.test", port: port, address: "127.0.0.3"))
        #expect(try await link.run { try await $0.wire.ping(5) } == 5)

        try await live.stop()
        let failure = await #expect(throws: RegistryUnreachable.self) {
            _ = try await link.run { try await $0.wire.ping(6) }
        }
        let text = failure?.description ?? ""
        #expect(text.hasPrefix("no registry answered: registry.test:\(port) (127.0.0.3) ("), "\(text)")
        #expect(text.contains(", registry.test:\(port) (127.0.0.2) ("), "\(text)")

        // The replica comes back at another address of the name.
        let moved = try await WirePoolNameTests.replica("moved", host: "127.0.0.4", port: port)
        directory.set(["127.0.0.4"])
        #expect(try await link.run { $0.wire.hello.serverVersion } == "moved")
        await link.close()
        try await moved.stop()
    }

    @Test("a one-shot connect tries each address of a name")
    func connectTriesEveryAddress() async throws {
        let live = try await WirePoolNameTests.replica("live", host: "127.0.0.3", port: 0)
        let directory = WirePoolNameTests.Directory()
        directory.set(["127.0.0.2", "127.0.0.3"])
        let endpoints = try RoleEndpoints(parsing: "registry.test:\(live.port)", role: "registry")
        let client = try await RegistryClient.connect(
            endpoints: endpoints, configuration: WireClientConfiguration(clientName: "connect-test"),
            resolver: directory.resolver)
        #expect(client.wire.hello.serverVersion == "live")
        await client.close()
        try await live.stop()
    }

    @Test("a cancelled one-shot connect ends with CancellationError, not as an unreachable address")
    func cancelledConnectIsNotAFailedAddress() async throws {
        // Accepts and never answers Hello: only cancellation can end the wait before the 60 s timeout.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let endpoints = try RoleEndpoints(parsing: "127.0.0.1:\(port),127.0.0.1:1", role: "registry")
        let started = ContinuousClock.now
        var configuration = WireClientConfiguration(clientName: "connect-test")
        configuration.connectTimeout = .seconds(60)  // TCP connect and Hello
        let connect = Task { [configuration] in
            try await RegistryClient.connect(endpoints: endpoints, configuration: configuration)
        }
        try await Task.sleep(for: .milliseconds(300))
        connect.cancel()
        await #expect(throws: CancellationError.self) { _ = try await connect.value }
        #expect(ContinuousClock.now - started < .seconds(20))
        try await silent.close()
    }
}
