#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one raw field holds once classified.
enum FieldValue: Equatable {
    /// Empty, blank, or one of the missing-value tokens.
    case missing
    /// A finite decimal number.
    case number(Double)
    /// Anything else.
    case text
}

/// Byte-level classification of single fields: missing-value tokens and decimal numbers.
///
/// Works on a pointer and a `start..<end` range so that the CSV reader can classify fields in
/// place, without building a `String` per field. Leading and trailing spaces and tabs are ignored.
enum FieldParser {
    /// Classifies the bytes `base[start..<end]` as missing, a finite number, or text.
    ///
    /// With `decimalComma`, a number may use `,` instead of `.` as its decimal mark (`1234,56`), as
    /// spreadsheets write numbers in files whose delimiter is not a comma.
    @inline(__always)
    static func classify(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, decimalComma: Bool = false
    ) -> FieldValue {
        var low = start
        var high = end
        while low < high, isBlank(base[low]) { low += 1 }
        while high > low, isBlank(base[high - 1]) { high -= 1 }
        if low == high { return .missing }
        if let number = parseNumber(base, from: low, to: high, decimalComma: decimalComma) { return .number(number) }
        return isMissingToken(base, from: low, to: high) ? .missing : .text
    }

    /// Whether `base[start..<end]` holds a comma: in a file with a decimal comma, whether a number was
    /// written with it.
    @inline(__always)
    static func containsComma(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var index = start
        while index < end {
            if base[index] == 0x2C { return true }
            index += 1
        }
        return false
    }

    /// Classifies a Swift string the same way as the byte form.
    static func classify(_ text: String, decimalComma: Bool = false) -> FieldValue {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return .missing }
            return classify(base, from: 0, to: buffer.count, decimalComma: decimalComma)
        }
    }

    /// Whether `base[start..<end]` is missing: blank, or a missing-value token after trimming.
    @inline(__always)
    static func isMissing(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var low = start
        var high = end
        while low < high, isBlank(base[low]) { low += 1 }
        while high > low, isBlank(base[high - 1]) { high -= 1 }
        return low == high || isMissingToken(base, from: low, to: high)
    }

    /// Whether the trimmed bytes are `NA`, `N/A`, `NaN`, `null` or `None`, in any letter case.
    @inline(__always)
    static func isMissingToken(_ base: UnsafePointer<UInt8>, from low: Int, to high: Int) -> Bool {
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte | 0x20 }
        let n: UInt8 = 0x6E
        let a: UInt8 = 0x61
        let l: UInt8 = 0x6C
        let u: UInt8 = 0x75
        let o: UInt8 = 0x6F
        let e: UInt8 = 0x65
        switch high - low {
        case 2:
            return lower(base[low]) == n && lower(base[low + 1]) == a
        case 3:
            guard lower(base[low]) == n, lower(base[low + 2]) == n || lower(base[low + 2]) == a else { return false }
            let middle = base[low + 1]
            return (lower(base[low + 2]) == n && lower(middle) == a) || (lower(base[low + 2]) == a && middle == 0x2F)
        case 4:
            guard lower(base[low]) == n else { return false }
            let isNull = lower(base[low + 1]) == u && lower(base[low + 2]) == l && lower(base[low + 3]) == l
            let isNone = lower(base[low + 1]) == o && lower(base[low + 2]) == n && lower(base[low + 3]) == e
            return isNull || isNone
        default:
            return false
        }
    }

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (at least one mantissa digit) spanning exactly
    /// `base[low..<high]`, returning `nil` when the bytes are anything else or the value is not finite.
    /// With `decimalComma` the decimal mark may be `,` as well as `.`.
    ///
    /// Fast path (Clinger): a mantissa of at most 19 digits that is <= 2^53, with a decimal exponent
    /// in -22...22, is exact after one multiplication or division by an exactly representable power
    /// of ten. Everything else goes through `strtod` (already known to be a plain decimal).
    @inline(__always)
    static func parseNumber(
        _ base: UnsafePointer<UInt8>, from low: Int, to high: Int, decimalComma: Bool = false
    ) -> Double? {
        var index = low
        var negative = false
        if base[index] == 0x2D || base[index] == 0x2B {
            negative = base[index] == 0x2D
            index += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var digits = 0
        var truncated = false
        while index < high {
            let digit = base[index] &- 0x30
            guard digit < 10 else { break }
            if mantissa == 0 && digit == 0 {
                // Leading zero: contributes nothing.
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                significant += 1
            } else {
                exponent += 1
                truncated = true
            }
            digits += 1
            index += 1
        }
        if index < high, base[index] == 0x2E || (decimalComma && base[index] == 0x2C) {
            index += 1
            while index < high {
                let digit = base[index] &- 0x30
                guard digit < 10 else { break }
                if mantissa == 0 && digit == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    significant += 1
                    exponent -= 1
                } else {
                    truncated = true
                }
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < high, base[index] | 0x20 == 0x65 {
            index += 1
            var exponentNegative = false
            if index < high, base[index] == 0x2D || base[index] == 0x2B {
                exponentNegative = base[index] == 0x2D
                index += 1
            }
            var value = 0
            var exponentDigits = 0
            while index < high {
                let digit = base[index] &- 0x30
                guard digit < 10 else { break }
                if value < 1_000_000 { value = value * 10 + Int(digit) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -value : value
        }
        guard index == high else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if !truncated, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= powerOfTen(-exponent)
            } else if exponent > 0 {
                value *= powerOfTen(exponent)
            }
            return negative ? -value : value
        }
        return slowParse(base, from: low, to: high)
    }

    /// `10^exponent` for `exponent` in `0...22`, all exactly representable as `Double`.
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        var result = 1.0
        var base = 10.0
        var remaining = exponent
        // Square-and-multiply: every intermediate is a power of ten <= 1e22, hence exact.
        while remaining > 0 {
            if remaining & 1 == 1 { result *= base }
            base *= base
            remaining >>= 1
        }
        return result
    }

    /// Correctly rounded conversion of a validated decimal through the C library's `strtod` (a decimal
    /// comma, already validated, is handed over as a point).
    static func slowParse(_ base: UnsafePointer<UInt8>, from low: Int, to high: Int) -> Double? {
        let count = high - low
        let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer -> Double in
            for offset in 0..<count {
                let byte = base[low + offset]
                buffer[offset] = CChar(bitPattern: byte == 0x2C ? 0x2E : byte)
            }
            buffer[count] = 0
            guard let start = buffer.baseAddress else { return .nan }
            return strtod(start, nil)
        }
        return value.isFinite ? value : nil
    }

    /// Space or horizontal tab.
    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }
}
