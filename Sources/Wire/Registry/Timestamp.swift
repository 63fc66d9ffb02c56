#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Registry times: milliseconds since the Unix epoch (UTC) in the index, ISO 8601 in output and
/// in queries. Parsing and formatting are done by hand (civil-calendar arithmetic), so they are
/// exact, locale-free and never trap.
public enum Timestamp {
    /// The current wall-clock time in milliseconds since the epoch.
    public static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// `2026-11-25T14:03:00.123Z` for a millisecond time.
    public static func iso8601(millis: Int64) -> String {
        let days = floorDivide(millis, 86_400_000)
        let inDay = millis - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let hour = inDay / 3_600_000
        let minute = (inDay / 60_000) % 60
        let second = (inDay / 1000) % 60
        let milli = inDay % 1000
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(milli, 3))Z"
    }

    /// A parsed ISO 8601 time: where it starts and how long the written precision lasts (a date
    /// alone covers a whole day; `14:03` a minute; `14:03:00.5` a millisecond).
    public struct Span: Sendable, Equatable {
        /// First millisecond covered.
        public var start: Int64
        /// Milliseconds covered (at least 1).
        public var length: Int64

        /// Creates a span.
        public init(start: Int64, length: Int64) {
            self.start = start
            self.length = length
        }
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` (or a space) and `hh:mm`, `:ss`, `.fff…`,
    /// and a zone `Z`, `±hh:mm` or `±hhmm` (UTC when absent). Returns nil for anything else.
    public static func parse(_ text: String) -> Span? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(digits: 4), reader.take(UInt8(ascii: "-")),
            let month = reader.number(digits: 2), reader.take(UInt8(ascii: "-")),
            let day = reader.number(digits: 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var millis = days(fromYear: year, month: month, day: day) * 86_400_000
        if reader.atEnd { return Span(start: millis, length: 86_400_000) }
        guard reader.take(UInt8(ascii: "T")) || reader.take(UInt8(ascii: "t")) || reader.take(UInt8(ascii: " ")),
            let hour = reader.number(digits: 2), hour < 24, reader.take(UInt8(ascii: ":")),
            let minute = reader.number(digits: 2), minute < 60
        else { return nil }
        millis += hour * 3_600_000 + minute * 60_000
        var length: Int64 = 60_000
        if reader.take(UInt8(ascii: ":")) {
            guard let second = reader.number(digits: 2), second < 60 else { return nil }
            millis += second * 1000
            length = 1000
            if reader.take(UInt8(ascii: ".")) {
                var scale: Int64 = 100
                var fraction: Int64 = 0
                var count = 0
                while let digit = reader.digit() {
                    fraction += digit * scale
                    scale /= 10
                    count += 1
                }
                guard count > 0 else { return nil }
                millis += fraction
                length = 1
            }
        }
        if reader.take(UInt8(ascii: "Z")) || reader.take(UInt8(ascii: "z")) {
        } else if let sign = reader.sign() {
            guard let zoneHour = reader.number(digits: 2), zoneHour < 24 else { return nil }
            _ = reader.take(UInt8(ascii: ":"))
            guard let zoneMinute = reader.number(digits: 2), zoneMinute < 60 else { return nil }
            millis -= sign * (zoneHour * 3_600_000 + zoneMinute * 60_000)
        }
        return reader.atEnd ? Span(start: millis, length: length) : nil
    }

    /// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
    static func days(fromYear year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count from 1970-01-01.
    static func civil(fromDays value: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = value + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Reads fixed-width decimal fields from ASCII bytes, for `Timestamp.parse`.
private struct DigitReader {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") else {
            return nil
        }
        position += 1
        return Int64(bytes[position - 1] - UInt8(ascii: "0"))
    }

    mutating func number(digits: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<digits {
            guard let next = digit() else { return nil }
            value = value * 10 + next
        }
        return value
    }

    mutating func sign() -> Int64? {
        if take(UInt8(ascii: "+")) { return 1 }
        if take(UInt8(ascii: "-")) { return -1 }
        return nil
    }
}
