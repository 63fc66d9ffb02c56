/// Appends CSV text to a byte buffer without going through `String` formatting, for fast
/// generation of large files.
struct ByteSink {
    /// The bytes written so far.
    private(set) var bytes: [UInt8]

    /// An empty sink with room for `capacity` bytes.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends pre-encoded bytes.
    @inline(__always)
    mutating func append(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
    }

    /// Appends a non-negative integer in decimal.
    @inline(__always)
    mutating func append(decimal value: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = UInt(max(value, 0))
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
                remaining /= 10
                count += 1
            } while remaining > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// Appends an amount given in hundredths as `whole[.d[d]]`, without trailing zeros in the
    /// fraction (`0`, `79084.1`, `101348.88`), like the Kaggle file.
    @inline(__always)
    mutating func append(hundredths: Int) {
        append(decimal: hundredths / 100)
        let fraction = hundredths % 100
        guard fraction != 0 else { return }
        bytes.append(0x2E)
        bytes.append(UInt8(fraction / 10) &+ 0x30)
        if fraction % 10 != 0 { bytes.append(UInt8(fraction % 10) &+ 0x30) }
    }
}
