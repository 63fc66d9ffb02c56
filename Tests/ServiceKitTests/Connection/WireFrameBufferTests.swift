import NIOCore
import Testing
import Wire

@testable import ServiceKit

/// Framing across reads and the partial frame's budget (wire.md §8).
@Suite("Wire frame buffer")
struct WireFrameBufferTests {
    /// Two ping frames back to back.
    static func twoPings() -> ByteBuffer {
        var bytes = ByteBuffer()
        for id in UInt32(1)...2 {
            WireFrame.write(FrameHeader(kind: .request, opcode: .ping, correlationID: id), into: &bytes) {
                $0.writeInteger(UInt64(id))
            }
        }
        return bytes
    }

    /// Runs one read through `frames`, returning the decoded correlation ids and how it ended.
    static func read(_ input: ByteBuffer, into frames: inout WireFrameBuffer) throws -> (
        [UInt32], WireFrameBuffer.ReadEnd
    ) {
        var buffer = frames.beginRead(input)
        var ids: [UInt32] = []
        while let frame = try frames.nextFrame(from: &buffer) { ids.append(frame.header.correlationID) }
        return (ids, frames.endRead(remaining: buffer, allocator: ByteBufferAllocator()))
    }

    @Test func mergedFramesDecodeInOneRead() throws {
        let budget = BufferBudget(limit: 1 << 20)
        var frames = WireFrameBuffer(budget: budget)
        let (ids, end) = try Self.read(Self.twoPings(), into: &frames)
        #expect(ids == [1, 2])
        #expect(end == .consumed)
        #expect(!frames.holdsPartialFrame && budget.bytesInUse == 0)
    }

    @Test func splitFramesAreJoinedAcrossReadsAndTheBudgetIsReturned() throws {
        let budget = BufferBudget(limit: 1 << 20)
        var frames = WireFrameBuffer(budget: budget)
        var all = Self.twoPings()
        // The first frame and 5 bytes of the second, then the rest one byte at a time.
        let first = all.readSlice(length: 20 + 5) ?? ByteBuffer()
        var (ids, end) = try Self.read(first, into: &frames)
        #expect(ids == [1] && end == .keptPartialFrame)
        #expect(frames.holdsPartialFrame)
        #expect(budget.bytesInUse == frames.budgetedBytes && frames.budgetedBytes >= 5)
        var decoded: [UInt32] = []
        while let byte = all.readSlice(length: 1) {
            (ids, end) = try Self.read(byte, into: &frames)
            decoded += ids
        }
        #expect(decoded == [2] && end == .consumed)
        #expect(budget.bytesInUse == 0 && frames.budgetedBytes == 0)
    }

    @Test func partialFrameBeyondTheBudgetIsRefused() throws {
        let budget = BufferBudget(limit: 8)
        var frames = WireFrameBuffer(budget: budget)
        var bytes = Self.twoPings()
        let (_, end) = try Self.read(bytes.readSlice(length: 12) ?? ByteBuffer(), into: &frames)
        #expect(end == .overBudget)
        #expect(!frames.holdsPartialFrame && budget.bytesInUse == 0)
    }

    @Test func discardReturnsTheBudget() throws {
        let budget = BufferBudget(limit: 1 << 20)
        var frames = WireFrameBuffer(budget: budget)
        var bytes = Self.twoPings()
        _ = try Self.read(bytes.readSlice(length: 3) ?? ByteBuffer(), into: &frames)
        #expect(budget.bytesInUse > 0)
        frames.discard()
        #expect(budget.bytesInUse == 0 && !frames.holdsPartialFrame)
    }

    @Test func frameLimitIsRaisedAfterHello() throws {
        var frames = WireFrameBuffer(budget: BufferBudget(limit: 1 << 20))
        var big = ByteBuffer()
        WireFrame.write(FrameHeader(kind: .request, opcode: .ping, correlationID: 1), into: &big) {
            $0.writeRepeatingByte(0, count: WireProtocol.maxFrameLengthBeforeHello)
        }
        #expect(throws: WireError.self) { _ = try Self.read(big, into: &frames) }
        frames.discard()
        frames.maxFrameLength = 1 << 20
        #expect(try Self.read(big, into: &frames).0 == [1])
    }
}
