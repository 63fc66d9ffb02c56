import NIOCore

extension ByteBuffer {
    /// Writes a `u32`-length-prefixed UTF-8 string (wire.md §3.1).
    @inlinable
    public mutating func writeWireString(_ string: String) {
        let start = writerIndex
        writeInteger(UInt32(0))
        let count = writeString(string)
        setInteger(UInt32(truncatingIfNeeded: count), at: start)
    }

    /// Writes `u32`-length-prefixed raw bytes.
    @inlinable
    public mutating func writeWireBytes(_ bytes: ByteBuffer) {
        writeInteger(UInt32(truncatingIfNeeded: bytes.readableBytes))
        var copy = bytes
        writeBuffer(&copy)
    }

    /// Writes a boolean as one byte, 0 or 1.
    @inlinable
    public mutating func writeWireBool(_ value: Bool) {
        writeInteger(value ? UInt8(1) : UInt8(0))
    }

    /// Writes an IEEE-754 binary32 as its big-endian bit pattern.
    @inlinable
    public mutating func writeWireFloat(_ value: Float) {
        writeInteger(value.bitPattern)
    }

    /// Writes an IEEE-754 binary64 as its big-endian bit pattern.
    @inlinable
    public mutating func writeWireDouble(_ value: Double) {
        writeInteger(value.bitPattern)
    }

    /// Writes an optional: a presence byte, then the value via `write` when present.
    @inlinable
    public mutating func writeWireOptional<T>(_ value: T?, _ write: (inout ByteBuffer, T) -> Void) {
        if let value {
            writeInteger(UInt8(1))
            write(&self, value)
        } else {
            writeInteger(UInt8(0))
        }
    }

    /// Writes a `u32` count then each item via `write`.
    @inlinable
    public mutating func writeWireList<C: Collection>(_ items: C, _ write: (inout ByteBuffer, C.Element) -> Void) {
        writeInteger(UInt32(truncatingIfNeeded: items.count))
        for item in items {
            write(&self, item)
        }
    }
}
