import NIOCore

/// Reads the primitive types of wire.md §3 from a body, validating every length against the
/// remaining bytes and its limit *before* allocating anything. Every failure is a thrown
/// ``WireError`` naming the field.
public struct WireReader {
    /// The unread rest of the body.
    public private(set) var buffer: ByteBuffer

    /// Reads from `buffer` (typically ``WireFrame/body``).
    public init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// Bytes not yet read.
    public var remaining: Int { buffer.readableBytes }

    /// Reads a big-endian fixed-width integer.
    public mutating func integer<T: FixedWidthInteger>(_ field: String, as: T.Type = T.self) throws -> T {
        guard let value = buffer.readInteger(as: T.self) else {
            throw WireError.truncated(field: field, needed: MemoryLayout<T>.size, available: buffer.readableBytes)
        }
        return value
    }

    /// Reads a `u8` that must be 0 or 1.
    public mutating func bool(_ field: String) throws -> Bool {
        let byte: UInt8 = try integer(field)
        switch byte {
        case 0: return false
        case 1: return true
        default: throw WireError.invalidValue(field: field, value: UInt64(byte))
        }
    }

    /// Reads an IEEE-754 binary32 from its big-endian bit pattern.
    public mutating func float(_ field: String) throws -> Float {
        Float(bitPattern: try integer(field, as: UInt32.self))
    }

    /// Reads an IEEE-754 binary64 from its big-endian bit pattern.
    public mutating func double(_ field: String) throws -> Double {
        Double(bitPattern: try integer(field, as: UInt64.self))
    }

    /// Reads a `u32` length prefix and checks it against `limit` and the remaining bytes.
    mutating func length(_ field: String, limit: Int, minimumItemSize: Int) throws -> Int {
        let raw: UInt32 = try integer(field)
        let needed = UInt64(raw) * UInt64(max(1, minimumItemSize))
        if raw > UInt32(clamping: limit) {
            throw WireError.lengthOutOfBounds(field: field, length: UInt64(raw), limit: limit)
        }
        if needed > UInt64(buffer.readableBytes) {
            throw WireError.truncated(field: field, needed: Int(needed), available: buffer.readableBytes)
        }
        return Int(raw)
    }

    /// Reads a `u32`-length-prefixed UTF-8 string of at most `maxLength` bytes.
    public mutating func string(_ field: String, maxLength: Int = WireProtocol.maxStringLength) throws -> String {
        let count = try length(field, limit: maxLength, minimumItemSize: 1)
        guard let string = buffer.readString(length: count) else {
            throw WireError.truncated(field: field, needed: count, available: buffer.readableBytes)
        }
        // readString repairs invalid UTF-8 silently; compare byte counts to detect it.
        guard string.utf8.count == count else {
            throw WireError.invalidUTF8(field: field)
        }
        return string
    }

    /// Reads `u32`-length-prefixed raw bytes of at most `maxLength`, as a slice (no copy).
    public mutating func bytes(_ field: String, maxLength: Int) throws -> ByteBuffer {
        let count = try length(field, limit: maxLength, minimumItemSize: 1)
        guard let slice = buffer.readSlice(length: count) else {
            throw WireError.truncated(field: field, needed: count, available: buffer.readableBytes)
        }
        return slice
    }

    /// Reads exactly `count` raw bytes with no prefix (e.g. a SHA-256 digest), as an array.
    public mutating func fixedBytes(_ field: String, count: Int) throws -> [UInt8] {
        guard let bytes = buffer.readBytes(length: count) else {
            throw WireError.truncated(field: field, needed: count, available: buffer.readableBytes)
        }
        return bytes
    }

    /// Reads a `u32`-counted list of at most `maxCount` items, each at least `minimumItemSize`
    /// bytes on the wire (used to reject a count the remaining bytes cannot hold before reserving).
    public mutating func list<T>(
        _ field: String,
        maxCount: Int,
        minimumItemSize: Int,
        item: (inout WireReader) throws -> T
    ) throws -> [T] {
        let count = try length(field, limit: maxCount, minimumItemSize: minimumItemSize)
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            items.append(try item(&self))
        }
        return items
    }

    /// Reads an optional: a `u8` presence flag (0 or 1) followed by the value when present.
    public mutating func optional<T>(_ field: String, value: (inout WireReader) throws -> T) throws -> T? {
        try bool(field) ? try value(&self) : nil
    }

    /// Throws ``WireError/trailingBytes(count:)`` unless the whole body was consumed.
    public func finish() throws {
        if buffer.readableBytes != 0 {
            throw WireError.trailingBytes(count: buffer.readableBytes)
        }
    }
}
