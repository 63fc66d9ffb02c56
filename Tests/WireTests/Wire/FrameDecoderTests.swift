import NIOCore
import NIOTestUtils
import Testing

@testable import Wire

/// The frame decoder: whole frames only, hostile lengths rejected before buffering.
@Suite("Frame decoder")
struct FrameDecoderTests {
    func frame(_ kind: FrameKind, _ opcode: Opcode, _ id: UInt32, _ body: [UInt8]) -> WireFrame {
        WireFrame(header: FrameHeader(kind: kind, opcode: opcode, correlationID: id), body: ByteBuffer(bytes: body))
    }

    func encoded(_ frames: [WireFrame]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for frame in frames { frame.encode(into: &buffer) }
        return buffer
    }

    /// Byte-at-a-time, all-at-once and random splits via NIO's verifier, on golden vectors and
    /// hand-made frames (including an empty body and a body of the maximum size).
    @Test func verifierAcceptsEverySplit() throws {
        var pairs: [(ByteBuffer, [WireFrame])] = []
        for name in try GoldenVectors.allNames() {
            let bytes = try GoldenVectors.bytes(name)
            var copy = ByteBuffer(bytes: bytes)
            var decoder = WireFrameDecoder()
            let expected = try #require(try decoder.decode(buffer: &copy))
            pairs.append((ByteBuffer(bytes: bytes), [expected]))
        }
        let several = [
            frame(.request, .ping, 1, [0, 0, 0, 0, 0, 0, 0, 1]),
            frame(.request, .stats, 2, []),
            frame(.response, .ping, 3, Array(repeating: 0xAB, count: 300)),
        ]
        pairs.append((encoded(several), several))
        let limit = 64
        let biggest = [frame(.request, .ping, 9, Array(repeating: 7, count: limit - WireProtocol.headerSize))]
        pairs.append((encoded(biggest), biggest))
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            WireFrameDecoder(maxFrameLength: 4096)
        }
    }

    /// Lengths 0, 7 (below the header), 0xFFFFFFFF and limit+1 are rejected with only the four
    /// length bytes buffered — the decoder never waits for (or buffers) the announced body.
    @Test(arguments: [UInt32(0), 7, 0xFFFF_FFFF, 4097])
    func hostileLengthRejectedFromPrefixAlone(length: UInt32) {
        var decoder = WireFrameDecoder(maxFrameLength: 4096)
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        #expect(throws: WireError.self) { try decoder.decode(buffer: &buffer) }
        do {
            _ = try decoder.decode(buffer: &buffer)
        } catch let error as WireError {
            let expected: WireErrorCode = length < 8 ? .malformedFrame : .frameTooLarge
            #expect(error.code == expected)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// A length exactly at the limit is accepted (waits for the body, then decodes).
    @Test func lengthAtLimitAccepted() throws {
        var decoder = WireFrameDecoder(maxFrameLength: 4096)
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(4096))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeMultipleIntegers(UInt8(1), UInt8(0), UInt16(2), UInt32(5))
        buffer.writeRepeatingByte(0, count: 4096 - 8)
        let frame = try #require(try decoder.decode(buffer: &buffer))
        #expect(frame.body.readableBytes == 4088)
        #expect(frame.header.correlationID == 5)
    }

    /// A frame missing its last byte is not returned and nothing is consumed; the missing byte completes it.
    @Test func truncatedFrameWaits() throws {
        let bytes = try GoldenVectors.bytes("ping-request")
        var decoder = WireFrameDecoder()
        var buffer = ByteBuffer(bytes: bytes.dropLast())
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == bytes.count - 1)
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
        buffer.writeInteger(bytes[bytes.count - 1])
        let frame = try #require(try decoder.decode(buffer: &buffer))
        #expect(try PingRequest.decode(from: frame.body).payload == 0x0102_0304_0506_0708)
    }

    /// Unknown version, kind and opcode pass through the framing layer unjudged.
    @Test func unknownHeaderValuesPassThrough() throws {
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(UInt32(8), UInt8(9), UInt8(200), UInt16(0xBEEF), UInt32(77))
        var decoder = WireFrameDecoder()
        let frame = try #require(try decoder.decode(buffer: &buffer))
        #expect(frame.header.version == 9)
        #expect(frame.header.kind.rawValue == 200 && !frame.header.kind.isKnown)
        #expect(frame.header.opcode.rawValue == 0xBEEF)
        #expect(frame.header.correlationID == 77)
    }

    /// 200,000 random byte strings (fixed seed) through the decoder and every body decoder: no trap,
    /// and all three outcomes (frame, need more, error) occur.
    @Test func randomBytesNeverTrap() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        var frames = 0
        var incomplete = 0
        var errors = 0
        for iteration in 0..<200_000 {
            let count = Int.random(in: 0...48, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Half the time, give a plausible length prefix so bodies get exercised.
            if iteration % 2 == 0 && count >= 4 {
                let length = UInt32(Int.random(in: 0...(count + 2), using: &rng))
                withUnsafeBytes(of: length.bigEndian) { bytes.replaceSubrange(0..<4, with: $0) }
            }
            var buffer = ByteBuffer(bytes: bytes)
            var decoder = WireFrameDecoder(maxFrameLength: 40)
            do {
                while let frame = try decoder.decode(buffer: &buffer) {
                    frames += 1
                    AnyMessageDecoder.decodeAll(frame.body)
                }
                incomplete += 1
            } catch {
                errors += 1
            }
        }
        #expect(frames > 10_000)
        #expect(incomplete > 10_000)
        #expect(errors > 10_000)
    }
}
