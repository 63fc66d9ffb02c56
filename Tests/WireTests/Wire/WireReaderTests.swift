import NIOCore
import Testing

@testable import Wire

/// Body primitives: every length is checked against its bound and the remaining bytes.
@Suite("Wire reader")
struct WireReaderTests {
    func reader(_ build: (inout ByteBuffer) -> Void) -> WireReader {
        var buffer = ByteBuffer()
        build(&buffer)
        return WireReader(buffer)
    }

    @Test func stringOverItsLimitRejectedBeforeReading() {
        var r = reader {
            $0.writeInteger(UInt32(11))
            $0.writeString("hello world")
        }
        #expect(throws: WireError.lengthOutOfBounds(field: "s", length: 11, limit: 10)) {
            try r.string("s", maxLength: 10)
        }
    }

    @Test func stringLongerThanRemainingIsTruncated() {
        var r = reader {
            $0.writeInteger(UInt32(0xFFFF))
            $0.writeString("abc")
        }
        #expect(throws: WireError.truncated(field: "s", needed: 0xFFFF, available: 3)) {
            try r.string("s")
        }
    }

    @Test func invalidUTF8Rejected() {
        var r = reader {
            $0.writeInteger(UInt32(2))
            $0.writeBytes([0xC3, 0x28])
        }
        #expect(throws: WireError.invalidUTF8(field: "s")) { try r.string("s") }
    }

    @Test func multibyteUTF8RoundTrips() throws {
        var buffer = ByteBuffer()
        buffer.writeWireString("Genève – 東京")
        var r = WireReader(buffer)
        #expect(try r.string("s") == "Genève – 東京")
        try r.finish()
    }

    @Test func boolMustBeZeroOrOne() {
        var r = reader { $0.writeInteger(UInt8(2)) }
        #expect(throws: WireError.invalidValue(field: "b", value: 2)) { try r.bool("b") }
    }

    /// A count of 0xFFFFFFFF is refused by its bound before any array is reserved.
    @Test func hugeListCountRejected() {
        var r = reader { $0.writeInteger(UInt32.max) }
        #expect(throws: WireError.lengthOutOfBounds(field: "l", length: UInt64(UInt32.max), limit: 64)) {
            try r.list("l", maxCount: 64, minimumItemSize: 4) { try $0.integer("x", as: UInt32.self) }
        }
    }

    /// A count within bound that the remaining bytes cannot hold (10 × 8 bytes > 8) is truncated.
    @Test func listCountBeyondRemainingBytesRejected() {
        var r = reader {
            $0.writeInteger(UInt32(10))
            $0.writeInteger(UInt64(1))
        }
        #expect(throws: WireError.truncated(field: "l", needed: 80, available: 8)) {
            try r.list("l", maxCount: 64, minimumItemSize: 8) { try $0.integer("x", as: UInt64.self) }
        }
    }

    @Test func trailingBytesRejectedByDecode() {
        var body = PingRequest(payload: 5).encodedBody()
        body.writeInteger(UInt8(0))
        #expect(throws: WireError.trailingBytes(count: 1)) { try PingRequest.decode(from: body) }
    }

    @Test func floatsUseBigEndianBitPatterns() throws {
        var buffer = ByteBuffer()
        buffer.writeWireFloat(1.5)  // 0x3FC00000
        buffer.writeWireDouble(-2.0)  // 0xC000000000000000
        #expect(Array(buffer.readableBytesView) == [0x3F, 0xC0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0])
        var r = WireReader(buffer)
        #expect(try r.float("f") == 1.5)
        #expect(try r.double("d") == -2.0)
    }

    @Test func helloWithoutVersionsRejected() {
        var body = ByteBuffer()
        body.writeWireString("x")
        body.writeInteger(UInt32(0))
        body.writeInteger(UInt8(0))
        #expect(throws: WireError.invalidValue(field: "versions", value: 0)) { try HelloRequest.decode(from: body) }
    }

    @Test func downloadMaxLengthBounded() {
        var body = ByteBuffer()
        body.writeRepeatingByte(1, count: 32)
        body.writeMultipleIntegers(UInt64(0), UInt32(1_048_577))
        #expect(throws: WireError.self) { try BlobDownloadRequest.decode(from: body) }
    }
}
