import Foundation
import NIOCore
import ServiceKit
import Synchronization
import Testing
import Wire

/// The balanced, failing-over client pool over real servers: calls spread over every replica,
/// a stopped replica leaves the rotation at once without failing a call, and comes back after it
/// restarts.
@Suite("Wire pool", .serialized)
struct WirePoolTests {
    /// What concurrent callers record.
    final class Tally: Sendable {
        let counts = Mutex<[String: Int]>([:])
        let failures = Atomic<Int>(0)
        let running = Atomic<Bool>(true)

        func served(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }
        var snapshot: [String: Int] { counts.withLock { $0 } }
        func reset() { counts.withLock { $0 = [:] } }
    }

    static func replica(_ name: String, port: Int = 0) async throws -> RunningServer {
        try await RunningServer.start { configuration in
            configuration.serverVersion = name
            configuration.port = port
        }
    }

    /// One slow echo through the pool; returns the name of the replica that answered.
    static func call(_ pool: WirePool, value: UInt64) async throws -> String {
        try await pool.run { client, _ in
            let answer = try await client.request(
                opcode: TestRoleHandler.slowEcho, body: TestRoleHandler.slowEchoBody(delayMillis: 2, value: value))
            #expect(answer.getInteger(at: answer.readerIndex, as: UInt64.self) == value)
            return client.hello.serverVersion
        }
    }

    /// Seconds until `condition` holds (checked every 20 ms), nil after `limit` seconds.
    static func secondsUntil(_ limit: Double, _ condition: () async -> Bool) async -> Double? {
        let start = Date()
        while Date().timeIntervalSince(start) < limit {
            if await condition() { return Date().timeIntervalSince(start) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    @Test(
        "calls spread over three replicas; a stopped one leaves the rotation within 1 s with no failed call, and is back within 2 s of its restart"
    )
    func balancesAndFailsOver() async throws {
        var servers = [try await Self.replica("r0"), try await Self.replica("r1"), try await Self.replica("r2")]
        let pool = WirePool(
            role: "test", endpoints: servers.map { RoleEndpoint(host: "127.0.0.1", port: $0.port) },
            configuration: WireClientConfiguration(clientName: "pool-test"), probeInterval: .milliseconds(100))

        // Balance: 8 callers × 30 calls reach all three.
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<8 {
                group.addTask {
                    for index in 0..<30 {
                        let name = try await Self.call(pool, value: UInt64(caller * 1000 + index))
                        tally.served(name)
                    }
                }
            }
            try await group.waitForAll()
        }
        let spread = tally.snapshot
        #expect(spread.values.reduce(0, +) == 240)
        #expect(Set(spread.keys) == ["r0", "r1", "r2"], "calls reached \(spread)")

        // Load runs throughout; r1 stops, then restarts on its port.
        let load = Tally()
        let loading = Task {
            await withTaskGroup(of: Void.self) { group in
                for caller in 0..<8 {
                    group.addTask {
                        var index: UInt64 = 0
                        while load.running.load(ordering: .relaxed) {
                            index += 1
                            do {
                                load.served(try await Self.call(pool, value: UInt64(caller) << 32 | index))
                            } catch {
                                load.failures.add(1, ordering: .relaxed)
                            }
                        }
                    }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let port = servers[1].port
        try await servers[1].stop()
        let out = await Self.secondsUntil(5) { await pool.replicas()[1].inRotation == false }
        #expect(out != nil && out! < 1.0, "r1 left the rotation after \(String(describing: out)) s")
        try await Task.sleep(for: .milliseconds(300))
        load.reset()
        try await Task.sleep(for: .milliseconds(300))
        #expect(load.snapshot["r1"] == nil, "calls still went to the stopped replica")

        servers[1] = try await Self.replica("r1-again", port: port)
        let back = await Self.secondsUntil(5) { await pool.replicas()[1].inRotation }
        #expect(back != nil && back! < 2.0, "r1 came back after \(String(describing: back)) s")
        try await Task.sleep(for: .milliseconds(500))
        load.running.store(false, ordering: .relaxed)
        await loading.value
        #expect(load.failures.load(ordering: .relaxed) == 0)
        #expect((load.snapshot["r1-again"] ?? 0) > 0, "the restarted replica got no calls: \(load.snapshot)")

        await pool.close()
        for server in servers { try await server.stop() }
    }

    @Test("300 concurrent calls at a cold pool open one connection per slot, not one per call")
    func coldBurstSharesConnects() async throws {
        let server = try await Self.replica("only")
        let pool = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: WireClientConfiguration(clientName: "pool-test"), connectionsPerReplica: 4)
        try await withThrowingTaskGroup(of: String.self) { group in
            for value in 0..<300 { group.addTask { try await Self.call(pool, value: UInt64(value)) } }
            for try await name in group { #expect(name == "only") }
        }
        // Four slots; the pool's monitor may open one more connection of its own to probe.
        let connections = server.server.statistics().connectionsTotal
        #expect(connections >= 1 && connections <= 5, "\(connections) connections for 300 calls")
        await pool.close()
        try await server.stop()
    }

    @Test("a cancelled call ends with CancellationError and leaves its replica in rotation")
    func cancelledCallKeepsReplica() async throws {
        let server = try await Self.replica("only")
        let pool = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: WireClientConfiguration(clientName: "pool-test"))
        _ = try await Self.call(pool, value: 1)  // connected
        let call = Task {
            try await pool.run { client, _ in
                try await client.request(
                    opcode: TestRoleHandler.slowEcho, body: TestRoleHandler.slowEchoBody(delayMillis: 3000, value: 2),
                    timeout: .seconds(10))
            }
        }
        try await server.waitUntilReceived(TestRoleHandler.slowEcho, count: 2)
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        let replicas = await pool.replicas()
        #expect(replicas.map(\.inRotation) == [true], "\(replicas)")
        #expect(try await Self.call(pool, value: 3) == "only")
        await pool.close()
        try await server.stop()
    }

    @Test("with every replica down the call names each address and why")
    func allDownIsNamed() async throws {
        let server = try await Self.replica("gone")
        let port = server.port
        try await server.stop()
        let pool = WirePool(
            role: "test",
            endpoints: [RoleEndpoint(host: "127.0.0.1", port: port), RoleEndpoint(host: "127.0.0.1", port: 1)],
            configuration: WireClientConfiguration(clientName: "pool-test"))
        await #expect {
            _ = try await Self.call(pool, value: 1)
        } throws: { error in
            guard let error = error as? RegistryUnreachable else { return false }
            return error.attempts.map(\.endpoint.port) == [port, 1] || error.attempts.map(\.endpoint.port) == [1, port]
        }
        await pool.close()
    }
}
