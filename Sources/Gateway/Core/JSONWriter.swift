import NIOCore

/// Writes JSON text by hand into a `ByteBuffer` — for the one hot answer (`POST /api/v1/predict`),
/// where `JSONEncoder` cost more than the prediction itself. Numbers use Swift's shortest round-trip
/// form (what `JSONEncoder` writes too); non-finite numbers become `null`.
struct JSONWriter {
    /// The text so far.
    var buffer: ByteBuffer

    /// Starts with an empty buffer of `capacity` bytes.
    init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    /// Raw JSON punctuation or a literal.
    mutating func raw(_ text: StaticString) { buffer.writeStaticString(text) }

    /// A quoted, escaped string.
    mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            case 0x09: buffer.writeStaticString("\\t")
            case 0..<0x20:
                buffer.writeStaticString("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// A number (`null` when not finite).
    mutating func number(_ value: Double) {
        if value.isFinite { buffer.writeString(value.description) } else { raw("null") }
    }

    /// A float32 number in its own shortest form (`0.25442216`, not the binary64 expansion).
    mutating func number(_ value: Float) {
        if value.isFinite { buffer.writeString(value.description) } else { raw("null") }
    }

    /// An integer.
    mutating func integer(_ value: Int) { buffer.writeString(String(value)) }

    /// `"key":`.
    mutating func key(_ name: StaticString) {
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":")
    }
}
