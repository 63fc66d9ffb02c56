import Crypto
import NIOCore

/// A SHA-256 digest identifying a blob: 32 raw bytes on the wire, no length prefix (wire.md §7).
public struct BlobDigest: Hashable, Sendable, CustomStringConvertible {
    /// Number of bytes in a digest.
    public static let byteCount = 32

    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// The all-zero digest, announced in BlobUploadBegin for a streamed upload whose content is not
    /// known in advance (wire.md §7.1): the server then checks neither size nor digest at commit and
    /// answers the digest it computed, which the client compares with its own.
    public static let unannounced = BlobDigest(zeros: ())

    private init(zeros: Void) {
        bytes = [UInt8](repeating: 0, count: Self.byteCount)
    }

    /// Wraps 32 bytes; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hexadecimal digits; nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 2 * Self.byteCount else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.byteCount)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// The SHA-256 of `bytes`.
    public init(hashing bytes: [UInt8]) {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        self.init(hasher.finalize())
    }

    /// The SHA-256 of the readable bytes of `buffer`.
    public init(hashing buffer: ByteBuffer) {
        var hasher = SHA256()
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        self.init(hasher.finalize())
    }

    /// Wraps a finished swift-crypto digest.
    public init(_ digest: SHA256.Digest) {
        self.bytes = Array(digest)
    }

    /// Lowercase hex, 64 digits.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Same as ``hex``.
    public var description: String { hex }

    /// Reads 32 bytes from `reader`.
    public static func read(_ field: String, from reader: inout WireReader) throws -> BlobDigest {
        let bytes = try reader.fixedBytes(field, count: byteCount)
        guard let digest = BlobDigest(bytes: bytes) else {
            throw WireError.truncated(field: field, needed: byteCount, available: bytes.count)
        }
        return digest
    }

    /// Writes the 32 bytes.
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeBytes(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
