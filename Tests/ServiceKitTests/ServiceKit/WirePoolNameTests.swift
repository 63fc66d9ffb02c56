import Foundation
import NIOCore
import ServiceKit
import Synchronization
import Testing
import Wire

/// The pool over a DNS name that resolves to several addresses: real servers on loopback aliases
/// (127.0.0.1, .2, .3, .4 on one port) behind a name whose answers the test changes through the
/// pool's resolver seam, plus one pool through the system resolver.
@Suite("Wire pool over DNS names", .serialized)
struct WirePoolNameTests {
    /// A resolver whose answer for every name the test sets (nil: the name does not resolve).
    final class Directory: Sendable {
        let answer = Mutex<[String]?>(nil)
        let lookups = Atomic<Int>(0)

        func set(_ addresses: [String]?) { answer.withLock { $0 = addresses } }

        var resolver: ClosureAddressResolver {
            ClosureAddressResolver { host in
                self.lookups.add(1, ordering: .relaxed)
                guard let addresses = self.answer.withLock({ $0 }) else {
                    throw AddressResolutionError(host: host, reason: "Name or service not known")
                }
                return addresses
            }
        }
    }

    /// A test server named `name` on `host:port`.
    static func replica(_ name: String, host: String, port: Int) async throws -> RunningServer {
        try await RunningServer.start { configuration in
            configuration.serverVersion = name
            configuration.host = host
            configuration.port = port
        }
    }

    /// Callers that keep calling the pool until stopped, counting who answered and what failed.
    final class Load: Sendable {
        let tally = WirePoolTests.Tally()
        let failures = Mutex<[String]>([])
        let task = Mutex<Task<Void, Never>?>(nil)

        func start(_ pool: WirePool, callers: Int = 6) {
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    for caller in 0..<callers {
                        group.addTask {
                            var index: UInt64 = 0
                            while self.tally.running.load(ordering: .relaxed) {
                                index += 1
                                do {
                                    self.tally.served(
                                        try await WirePoolTests.call(pool, value: UInt64(caller) << 32 | index))
                                } catch {
                                    self.failures.withLock { $0.append("\(error)") }
                                }
                            }
                        }
                    }
                }
            }
            self.task.withLock { $0 = task }
        }

        func stop() async {
            tally.running.store(false, ordering: .relaxed)
            await task.withLock { $0 }?.value
        }

        /// Who answered the next `calls` calls, or more until each of `names` has answered (counted
        /// from now; at most `limit` seconds): windows by count, not time, so that a busy machine
        /// only makes them slower.
        func served(calls: Int, reaching names: Set<String> = [], within limit: Double = 10) async -> [String: Int] {
            tally.reset()
            _ = await WirePoolTests.secondsUntil(limit) {
                let snapshot = self.tally.snapshot
                return snapshot.values.reduce(0, +) >= calls && names.isSubset(of: snapshot.keys)
            }
            return tally.snapshot
        }
    }

    @Test(
        "a name with three addresses is three replicas shown as name:port (address); calls spread over them; a vanished address is retired, a new one joins, a stopped one fails over — with no failed call"
    )
    func expandsRetiresAddsAndFailsOver() async throws {
        let first = try await Self.replica("r1", host: "127.0.0.1", port: 0)
        let port = first.port
        var servers = ["r1": first]
        servers["r2"] = try await Self.replica("r2", host: "127.0.0.2", port: port)
        servers["r3"] = try await Self.replica("r3", host: "127.0.0.3", port: port)
        let directory = Directory()
        directory.set(["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.2"])
        let pool = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "replicas.test", port: port)],
            configuration: WireClientConfiguration(clientName: "pool-name-test"), probeInterval: .milliseconds(100),
            resolver: directory.resolver, resolveInterval: .milliseconds(200))

        // Expansion and balance.
        let load = Load()
        load.start(pool)
        // Warm-up: every replica serves a first call (at most 30 s). In 3 of 6 runs of the whole
        // suite on 2 cores, the first calls of this cold pool stalled for about 10 s (no call
        // failed, every replica in rotation, none outstanding; never seen with this suite alone).
        let warmUp = ContinuousClock.now
        let warm = await load.served(calls: 3, reaching: ["r1", "r2", "r3"], within: 30)
        #expect(Set(warm.keys) == ["r1", "r2", "r3"], "warm-up after \(ContinuousClock.now - warmUp): \(warm)")
        // Then at least 300 calls, and until every replica has served (at most 10 s).
        let spread = await load.served(calls: 300, reaching: ["r1", "r2", "r3"])
        let seen = await pool.replicas()
        #expect(Set(spread.keys) == ["r1", "r2", "r3"], "calls reached \(spread); replicas \(seen)")
        let shown = await pool.replicas().map(\.endpoint.description)
        #expect(
            shown == [
                "replicas.test:\(port) (127.0.0.1)", "replicas.test:\(port) (127.0.0.2)",
                "replicas.test:\(port) (127.0.0.3)",
            ])

        // 127.0.0.2 vanishes from the name: retired (its server still runs, so only the retirement stops its calls).
        directory.set(["127.0.0.1", "127.0.0.3"])
        let retired = await WirePoolTests.secondsUntil(10) { await pool.replicas().count == 2 }
        let afterRetire = await pool.replicas()
        #expect(retired != nil, "127.0.0.2 was not retired: \(afterRetire)")
        _ = await load.served(calls: 20)  // calls picked before the retirement end
        let afterRetirement = await load.served(calls: 200)
        #expect(afterRetirement["r2"] == nil, "calls still reached the retired address: \(afterRetirement)")
        #expect(Set(afterRetirement.keys) == ["r1", "r3"])

        // A new address appears: it joins once a probe finds it serving.
        servers["r4"] = try await Self.replica("r4", host: "127.0.0.4", port: port)
        directory.set(["127.0.0.1", "127.0.0.3", "127.0.0.4"])
        let joined = await WirePoolTests.secondsUntil(10) { await pool.replicas().filter(\.inRotation).count == 3 }
        let afterJoin = await pool.replicas()
        #expect(joined != nil, "127.0.0.4 did not join: \(afterJoin)")
        let afterAddition = await load.served(calls: 300)
        #expect(Set(afterAddition.keys) == ["r1", "r3", "r4"], "calls reached \(afterAddition)")

        // 127.0.0.1 stops (the name still lists it): out of rotation, calls go to the others.
        try await servers["r1"]?.stop()
        let out = await WirePoolTests.secondsUntil(10) {
            await pool.replicas().first { $0.endpoint.address == "127.0.0.1" }?.inRotation == false
        }
        #expect(out != nil)
        _ = await load.served(calls: 20)
        let afterStop = await load.served(calls: 200)
        #expect(Set(afterStop.keys) == ["r3", "r4"], "calls reached \(afterStop)")

        await load.stop()
        let failures = load.failures.withLock { $0 }
        #expect(failures.isEmpty, "\(failures.count) calls failed: \(failures.prefix(3))")
        await pool.close()
        for (name, server) in servers where name != "r1" { try await server.stop() }
    }

    @Test("a name that stops resolving keeps its last addresses")
    func failedLookupKeepsAddresses() async throws {
        let a = try await Self.replica("a", host: "127.0.0.2", port: 0)
        let b = try await Self.replica("b", host: "127.0.0.3", port: a.port)
        let directory = Directory()
        directory.set(["127.0.0.2", "127.0.0.3"])
        let pool = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "replicas.test", port: a.port)],
            configuration: WireClientConfiguration(clientName: "pool-name-test"), probeInterval: .milliseconds(50),
            resolver: directory.resolver, resolveInterval: .milliseconds(50))
        _ = try await WirePoolTests.call(pool, value: 1)
        directory.set(nil)
        let before = directory.lookups.load(ordering: .relaxed)
        let looked = await WirePoolTests.secondsUntil(10) { directory.lookups.load(ordering: .relaxed) >= before + 3 }
        #expect(looked != nil, "the name was not looked up again")
        #expect(await pool.replicas().compactMap(\.endpoint.address) == ["127.0.0.2", "127.0.0.3"])
        var names: Set<String> = []
        for value in 0..<40 { names.insert(try await WirePoolTests.call(pool, value: UInt64(value))) }
        #expect(names == ["a", "b"])
        await pool.close()
        try await a.stop()
        try await b.stop()
    }

    @Test(
        "when every address moved, a call that found no replica looks the name up again, and so does the monitor once none is in rotation"
    )
    func movedReplicasAreFoundAgain() async throws {
        let old = try await Self.replica("old", host: "127.0.0.2", port: 0)
        let port = old.port
        let directory = Directory()
        directory.set(["127.0.0.2"])
        let configuration = WireClientConfiguration(clientName: "pool-name-test")
        let endpoints = [RoleEndpoint(host: "replicas.test", port: port)]
        // The periodic lookup is 10 minutes away in both pools. The first one's monitor sleeps
        // 10 s: only its calls can find the new address. The second one is left to its monitor.
        let byCall = WirePool(
            role: "test", endpoints: endpoints, configuration: configuration, probeInterval: .seconds(10),
            resolver: directory.resolver,
            resolveInterval: .seconds(600))
        let byMonitor = WirePool(
            role: "test", endpoints: endpoints, configuration: configuration, probeInterval: .milliseconds(100),
            resolver: directory.resolver, resolveInterval: .seconds(600))
        #expect(try await WirePoolTests.call(byCall, value: 1) == "old")
        #expect(try await WirePoolTests.call(byMonitor, value: 1) == "old")
        try await old.stop()
        let new = try await Self.replica("new", host: "127.0.0.3", port: port)
        directory.set(["127.0.0.3"])
        try await Task.sleep(for: WirePool.failedCallLookupSpacing + .milliseconds(20))

        #expect(try await WirePoolTests.call(byCall, value: 2) == "new")
        #expect(await byCall.replicas().map(\.endpoint.description) == ["replicas.test:\(port) (127.0.0.3)"])
        let found = await WirePoolTests.secondsUntil(10) {
            await byMonitor.replicas().map(\.endpoint.address) == ["127.0.0.3"]
        }
        #expect(found != nil, "the monitor did not look the name up again")
        let admitted = await WirePoolTests.secondsUntil(10) { await byMonitor.replicas().first?.inRotation == true }
        #expect(admitted != nil, "the new address was not admitted")
        await byCall.close()
        await byMonitor.close()
        try await new.stop()
    }

    @Test("a name that never resolved is connected to by name, and the error names the host")
    func unresolvedNameIsTriedByName() async throws {
        let gone = try await Self.replica("gone", host: "127.0.0.1", port: 0)
        let port = gone.port
        try await gone.stop()
        let directory = Directory()  // answers nothing
        let pool = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "localhost", port: port)],
            configuration: WireClientConfiguration(clientName: "pool-name-test"), resolver: directory.resolver)
        let failure = await #expect(throws: RegistryUnreachable.self) {
            _ = try await WirePoolTests.call(pool, value: 1)
        }
        #expect(failure?.attempts.map(\.endpoint) == [RoleEndpoint(host: "localhost", port: port)])
        #expect(
            failure?.description.hasPrefix("no test answered: localhost:\(port) (") == true,
            "\(String(describing: failure))")
        await pool.close()
    }

    @Test("a call waiting for a name server that does not answer stops at once when cancelled")
    func cancelledCallStopsWaitingForLookup() async throws {
        let hung = ClosureAddressResolver { _ in
            try? await Task.sleep(for: .seconds(30))  // not cancelled by the caller: the round goes on
            return []
        }
        let pool = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "slow.example", port: 1)],
            configuration: WireClientConfiguration(clientName: "pool-name-test"), resolver: hung)
        let call = Task { try await WirePoolTests.call(pool, value: 1) }
        try await Task.sleep(for: .milliseconds(200))  // the call waits for the first lookup round
        let cancelled = ContinuousClock.now
        call.cancel()
        await #expect(throws: CancellationError.self) { _ = try await call.value }
        #expect(ContinuousClock.now - cancelled < .seconds(5))
        await pool.close()
    }

    @Test("through the system resolver: localhost is one replica at its address; an IP literal is shown as before")
    func systemResolver() async throws {
        let server = try await Self.replica("local", host: "127.0.0.1", port: 0)
        let addresses = try await SystemAddressResolver().addresses(of: "localhost")
        #expect(addresses.contains("127.0.0.1") || addresses.contains("::1"), "\(addresses)")

        let named = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "localhost", port: server.port)],
            configuration: WireClientConfiguration(clientName: "pool-name-test"))
        #expect(try await WirePoolTests.call(named, value: 7) == "local")
        let replicas = await named.replicas()
        #expect(replicas.count == 1)
        #expect(replicas.first?.endpoint.host == "localhost")
        #expect(
            replicas.first?.endpoint.address == "127.0.0.1" || replicas.first?.endpoint.address == nil, "\(replicas)")

        let literal = WirePool(
            role: "test", endpoints: [RoleEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: WireClientConfiguration(clientName: "pool-name-test"))
        #expect(try await WirePoolTests.call(literal, value: 8) == "local")
        #expect(await literal.replicas().map(\.endpoint.description) == ["127.0.0.1:\(server.port)"])

        await #expect(throws: AddressResolutionError.self) {
            _ = try await SystemAddressResolver().addresses(of: "no-such-host.invalid")
        }
        await named.close()
        await literal.close()
        try await server.stop()
    }
}
