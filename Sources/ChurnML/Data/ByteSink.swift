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

    /// Empties the sink, keeping its capacity.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
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
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
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

    /// Appends `value` with exactly `digits` (0…9) decimals, rounded half away from zero
    /// (`-12.50`, `0.731204`); non-finite values as `nan`, `inf`, `-inf`.
    mutating func append(fixed value: Double, digits: Int) {
        guard value.isFinite else {
            append(Array((value.isNaN ? "nan" : value > 0 ? "inf" : "-inf").utf8))
            return
        }
        let digits = min(max(digits, 0), 9)
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else {
            append(Array(String(value).utf8))
            return
        }
        var units = Int(scaled)
        if value < 0 && units > 0 { bytes.append(0x2D) }
        var divisor = 1
        for _ in 0..<digits { divisor *= 10 }
        append(decimal: units / divisor)
        guard digits > 0 else { return }
        bytes.append(0x2E)
        units %= divisor
        for _ in 0..<digits {
            divisor /= 10
            bytes.append(UInt8(units / divisor) &+ 0x30)
            units %= divisor
        }
    }

    /// Appends `text` as one CSV field, quoted (RFC 4180) when it holds a comma, quote, CR or LF
    /// (``CSVField``).
    mutating func append(field text: String) {
        CSVField.append(text, to: &bytes)
    }

    /// Appends a number as ``ColumnData/format(_:)`` writes it: integers without a fraction, others
    /// in Swift's shortest round-trip form.
    mutating func append(number value: Double) {
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            if value < 0 { bytes.append(0x2D) }
            append(decimal: Int(abs(value)))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }
}
