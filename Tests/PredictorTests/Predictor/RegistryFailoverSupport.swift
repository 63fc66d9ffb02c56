import ChurnML
import Foundation
import Glibc
import Logging
import Registry
import ServiceKit
import ServiceLifecycle
import Wire

/// What the registry failover tests share: a port nothing listens on, a registry whose publish
/// answers arrive too late (the publish is applied, its answer lost), and counting on a registry.
enum FailoverSupport {
    /// A port on 127.0.0.1 that nothing listens on: bound to a free port, then released.
    static func closedPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketFD, raw, length) == 0 && getsockname(socketFD, raw, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A registry over `directory` whose ModelPublishInline answers are held back `delay` after
    /// the publish was applied (a client with a shorter timeout sees its answer lost).
    static func slowPublishRegistry(directory: String, delay: Duration) async throws -> RunningFailoverRegistry {
        var logger = Logger(label: "test-registry")
        logger.logLevel = .critical
        let store = try RegistryStore(directory: directory, logger: logger)
        let inner = RegistryHandler(store: store, gcGraceMillis: 60_000, logger: logger)
        let handler = SlowPublishHandler(inner: inner, delay: delay)
        var configuration = WireServerConfiguration()
        configuration.port = 0
        configuration.roleName = "registry"
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try await inner.attach(to: server.events, retention: configuration.eventRetention)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return RunningFailoverRegistry(group: group, task: task, port: address.port ?? 0)
    }

    /// How many versions of `name` the registry on `port` holds (0 when the name has none).
    static func versionCount(_ name: String, port: Int) async throws -> Int {
        let client = try await RegistryClient.connect(host: "127.0.0.1", port: port)
        defer { Task { await client.close() } }
        return try await client.search("name = \"\(name)\"").count
    }

    /// Connections the server on `port` has accepted so far, this probe's own included.
    static func connectionsTotal(port: Int) async throws -> UInt64 {
        let client = try await WireClient.connect(host: "127.0.0.1", port: port)
        defer { Task { await client.close() } }
        return try await client.send(StatsRequest()).connectionsTotal
    }

    /// A small CSV that a registry accepts as a dataset.
    static let csv = SyntheticBankData.csv(rows: 60, seed: 3)
}

/// A registry server started by ``FailoverSupport/slowPublishRegistry(directory:delay:)``.
struct RunningFailoverRegistry {
    /// The group running the server.
    let group: ServiceGroup
    /// The task running the group.
    let task: Task<Void, any Error>
    /// The port it listens on.
    let port: Int

    /// Stops the server and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

/// A registry handler that answers ModelPublishInline `delay` after the registry applied it.
struct SlowPublishHandler: WireRequestHandler {
    /// The real registry handler.
    let inner: RegistryHandler
    /// How long a publish answer is held back.
    let delay: Duration

    /// The registry's operations.
    func operation(for opcode: Opcode) -> WireOperation? { inner.operation(for: opcode) }

    /// The registry's answer, held back for publishes.
    func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        let reply = inner.handle(request, context: context)
        guard request.opcode == .modelPublishInline, case .deferred(let work) = reply else { return reply }
        let delay = delay
        return .deferred {
            let answer = await work()
            try? await Task.sleep(for: delay)
            return answer
        }
    }

    /// The registry's cleanup.
    func connectionClosed(_ connectionID: UInt64) { inner.connectionClosed(connectionID) }
}
