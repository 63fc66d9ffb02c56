import NIOCore
import ServiceKit
import Testing
import Wire

/// A real server on port 0 against well-behaved and hostile peers (wire.md §9).
@Suite("Wire server: protocol", .timeLimit(.minutes(2)))
struct WireServerProtocolTests {
    @Test func helloThenPing() async throws {
        let running = try await RunningServer.start {
            $0.maxInFlight = 7
            $0.maxRows = 1234
        }
        let client = try await running.client()
        #expect(client.hello.role == "base")
        #expect(client.hello.version == 1)
        #expect(client.hello.maxInFlight == 7)
        #expect(client.hello.maxRows == 1234)
        #expect(client.hello.authorized)
        #expect(try await client.ping(42) == 42)
        let health = try await client.send(HealthRequest())
        #expect(health.status == .serving)
        await client.close()
        try await running.stop()
    }

    /// A Ping before Hello: helloRequired answering that frame, then close.
    @Test func frameBeforeHelloIsRefused() async throws {
        let running = try await RunningServer.start()
        let raw = try await RawConnection.connect(port: running.port)
        try await raw.send(RawConnection.frame(opcode: 0x0002, id: 5, body: [0, 0, 0, 0, 0, 0, 0, 1]))
        let frames = await raw.framesUntilClose()
        #expect(frames.count == 1)
        #expect(frames.first?.header.correlationID == 5)
        #expect(frames.first?.errorMessage?.code == .helloRequired)
        #expect(try await running.answersPing())
        try await running.stop()
    }

    /// Hostile length prefixes before Hello (limit 4 KiB) and after Hello (limit set to 64 KiB):
    /// one connection-level error frame, close, and the server keeps serving others.
    @Test func hostileLengthsCloseOnlyThatConnection() async throws {
        let running = try await RunningServer.start { $0.maxFrameLength = 65_536 }
        let cases: [(afterHello: Bool, length: UInt32, code: WireErrorCode)] = [
            (false, 0, .malformedFrame), (false, 7, .malformedFrame), (false, 0xFFFF_FFFF, .frameTooLarge),
            (false, 4097, .frameTooLarge), (true, 0, .malformedFrame), (true, 65_537, .frameTooLarge),
            (true, 0xFFFF_FFFF, .frameTooLarge),
        ]
        for item in cases {
            let raw = try await RawConnection.connect(port: running.port)
            if item.afterHello { try await raw.sendHello() }
            var bytes = ByteBuffer()
            bytes.writeInteger(item.length)
            bytes.writeRepeatingByte(0x11, count: 20)
            try await raw.send(bytes)
            let frames = await raw.framesUntilClose()
            let last = try #require(frames.last, "length \(item.length)")
            #expect(last.errorMessage?.code == item.code, "length \(item.length)")
            #expect(last.header.correlationID == 0 && last.header.opcode == .none)
            #expect(frames.count == (item.afterHello ? 2 : 1))
            #expect(try await running.answersPing(), "after length \(item.length)")
        }
        // A frame exactly at the post-Hello limit is accepted (answered: unknown opcode, still open).
        let client = try await running.client()
        let body = ByteBuffer(repeating: 0, count: 65_536 - 8)
        let length = try await client.request(opcode: TestRoleHandler.length, body: body)
        #expect(length.getInteger(at: length.readerIndex, as: UInt32.self) == 65_528)
        await client.close()
        try await running.stop()
    }

    /// Unknown opcode, unknown kind and a truncated body: an error frame each, connection stays.
    @Test func badRequestsKeepTheConnection() async throws {
        let running = try await RunningServer.start()
        let raw = try await RawConnection.connect(port: running.port)
        try await raw.sendHello()
        try await raw.send(RawConnection.frame(opcode: 0x7777, id: 2))
        try await raw.send(RawConnection.frame(kind: 9, opcode: 0x0002, id: 3, body: Array(repeating: 0, count: 8)))
        try await raw.send(RawConnection.frame(kind: 1, opcode: 0x0002, id: 4, body: Array(repeating: 0, count: 8)))
        try await raw.send(RawConnection.frame(opcode: 0x0002, id: 5, body: [1, 2, 3, 4]))
        try await raw.send(RawConnection.frame(opcode: 0x0010, id: 6, body: [0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF]))
        try await raw.send(RawConnection.frame(opcode: 0x0002, id: 7, body: [0, 0, 0, 0, 0, 0, 0, 9]))
        var iterator = raw.frames.makeAsyncIterator()
        var frames: [WireFrame] = []
        for _ in 0..<7 {
            if let frame = await iterator.next() { frames.append(frame) }
        }
        #expect(frames.count == 7)
        #expect(frames[0].header.opcode == .hello && frames[0].header.kind == .response)
        #expect(frames[1].errorMessage?.code == .unknownOpcode && frames[1].header.correlationID == 2)
        #expect(frames[2].errorMessage?.code == .unknownKind && frames[2].header.correlationID == 3)
        #expect(frames[3].errorMessage?.code == .unknownKind && frames[3].header.correlationID == 4)
        #expect(frames[4].errorMessage?.code == .invalidRequest && frames[4].header.correlationID == 5)
        #expect(frames[5].errorMessage?.code == .invalidRequest && frames[5].errorMessage?.field == "topics[]")
        #expect(frames[6].header.kind == .response && frames[6].header.correlationID == 7)
        #expect(try PingResponse.decode(from: frames[6].body).payload == 9)
        await raw.close()
        try await running.stop()
    }

    /// Version problems close: a Hello frame with version 2, a Hello offering only [2, 3], and a
    /// version-2 frame after a version-1 Hello.
    @Test func unsupportedVersionsClose() async throws {
        let running = try await RunningServer.start()
        var helloBody = ByteBuffer()
        HelloRequest(clientName: "v", versions: [1]).encode(into: &helloBody)
        var futureBody = ByteBuffer()
        HelloRequest(clientName: "v", versions: [2, 3]).encode(into: &futureBody)
        let attempts: [[UInt8]] = [
            RawConnection.frame(version: 2, opcode: 0x0001, id: 1, body: Array(helloBody.readableBytesView)),
            RawConnection.frame(opcode: 0x0001, id: 1, body: Array(futureBody.readableBytesView)),
            RawConnection.frame(opcode: 0x0001, id: 1, body: Array(helloBody.readableBytesView))
                + RawConnection.frame(version: 2, opcode: 0x0002, id: 2, body: Array(repeating: 0, count: 8)),
        ]
        for (index, bytes) in attempts.enumerated() {
            let raw = try await RawConnection.connect(port: running.port)
            try await raw.send(bytes)
            let frames = await raw.framesUntilClose()
            #expect(frames.last?.errorMessage?.code == .unsupportedVersion, "attempt \(index)")
            #expect(try await running.answersPing())
        }
        try await running.stop()
    }

    /// Junk: 300 connections each sending a random byte string; the server survives and counts them.
    @Test func randomJunkConnections() async throws {
        let running = try await RunningServer.start { $0.partialFrameTimeout = .milliseconds(200) }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let raw = try await RawConnection.connect(port: running.port)
            let bytes = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            try await raw.send(bytes)
            await raw.close()
        }
        #expect(try await running.answersPing())
        let stats = running.server.statistics()
        #expect(stats.connectionsTotal >= 301)
        try await running.stop()
    }

    /// Half a frame then silence: closed after the partial-frame timeout, not before.
    @Test func partialFrameStallIsClosed() async throws {
        let running = try await RunningServer.start { $0.partialFrameTimeout = .milliseconds(300) }
        let raw = try await RawConnection.connect(port: running.port)
        let start = ContinuousClock.now
        try await raw.send([0, 0, 0, 16, 1, 0])
        let frames = await raw.framesUntilClose()
        let elapsed = ContinuousClock.now - start
        #expect(frames.isEmpty)
        #expect(elapsed >= .milliseconds(250))
        // Under the 30 s default: the configured 300 ms timeout closed it. (Not tighter: with the whole
        // suite on 2 cores a starved event loop has taken 11.6 s here.)
        #expect(elapsed < .seconds(25))
        #expect(try await running.answersPing())
        try await running.stop()
    }

    /// Partial frames share a server-wide budget: the connection that would exceed it is closed
    /// with `unavailable`; the one holding its share completes its frame normally.
    @Test func partialFrameBudget() async throws {
        let running = try await RunningServer.start {
            $0.maxBufferedBytes = 70_000
            $0.maxFrameLength = 65_536
        }
        // A `body`-byte body announced, `count` bytes of it sent: holds at least 12 + count bytes.
        func partial(_ raw: RawConnection, body: Int, _ count: Int) async throws {
            var head = ByteBuffer()
            head.writeMultipleIntegers(UInt32(8 + body), UInt8(1), UInt8(0), TestRoleHandler.length.rawValue, UInt32(2))
            head.writeRepeatingByte(0, count: count)
            try await raw.send(head)
        }
        let first = try await RawConnection.connect(port: running.port)
        try await first.sendHello()
        try await partial(first, body: 40_000, 15_000)  // ≥ 15,012 held
        try await Task.sleep(nanoseconds: 100_000_000)
        let second = try await RawConnection.connect(port: running.port)
        try await second.sendHello()
        try await partial(second, body: 60_000, 58_000)  // ≥ 15,012 + 58,012 > 70,000
        let refused = await second.framesUntilClose()
        #expect(refused.last?.errorMessage?.code == .unavailable)
        try await first.send(ByteBuffer(repeating: 0, count: 25_000))  // completes alone within the budget
        var iterator = first.frames.makeAsyncIterator()
        _ = await iterator.next()  // Hello response
        let answer = try #require(await iterator.next())
        #expect(answer.header.kind == .response)
        #expect(answer.body.getInteger(at: answer.body.readerIndex, as: UInt32.self) == 40_000)
        await first.close()
        try await running.stop()
    }

    /// An idle connection (after Hello, nothing in flight) is closed after the idle timeout.
    @Test func idleConnectionIsClosed() async throws {
        let running = try await RunningServer.start { $0.idleTimeout = .seconds(2) }
        // The idle timer also runs before Hello: on a starved machine the server may close a connection
        // before the test gets to send Hello, so a connection closed that early is retried.
        var raw = try await RawConnection.connect(port: running.port)
        for _ in 0..<3 {
            do {
                try await raw.sendHello()
                break
            } catch {
                raw = try await RawConnection.connect(port: running.port)
            }
        }
        let frames = await raw.framesUntilClose()
        #expect(frames.count == 1)
        #expect(frames.first?.header.opcode == .hello)
        try await running.stop()
    }

    /// Connections beyond maxConnections get `unavailable` and are closed.
    @Test func connectionLimit() async throws {
        let running = try await RunningServer.start { $0.maxConnections = 2 }
        let first = try await running.client()
        let second = try await running.client()
        let raw = try await RawConnection.connect(port: running.port)
        let frames = await raw.framesUntilClose()
        #expect(frames.first?.errorMessage?.code == .unavailable)
        #expect(try await first.ping(1) == 1)
        await second.close()
        // A slot is free again once the second connection is gone.
        var answered = false
        for _ in 0..<50 where !answered {
            answered = (try? await running.answersPing()) ?? false
            if !answered { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        #expect(answered)
        await first.close()
        try await running.stop()
    }
}
