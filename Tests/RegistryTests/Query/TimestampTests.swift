import Testing
import Wire

@testable import Registry

@Suite("Query language: ISO 8601 times")
struct TimestampTests {
    @Test("formatting: epoch, a leap day, and a pre-1970 time")
    func formatting() {
        #expect(Timestamp.iso8601(millis: 0) == "1970-01-01T00:00:00.000Z")
        // 2024-02-29 is 19,782 days after the epoch: 54 years (1970…2023) with 13 leap days = 19,723,
        // plus 31 (January) + 28 days.
        #expect(Timestamp.iso8601(millis: 19_782 * 86_400_000 + 3_723_456) == "2024-02-29T01:02:03.456Z")
        #expect(Timestamp.iso8601(millis: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test("parsing: dates, times, fractions, zones; spans follow the written precision")
    func parsing() {
        let newYear: Int64 = 1_767_225_600_000
        #expect(Timestamp.parse("2026-01-01") == Timestamp.Span(start: newYear, length: 86_400_000))
        #expect(Timestamp.parse("2026-01-01T00:01") == Timestamp.Span(start: newYear + 60_000, length: 60_000))
        #expect(Timestamp.parse("2026-01-01 00:00:02Z") == Timestamp.Span(start: newYear + 2000, length: 1000))
        #expect(Timestamp.parse("2026-01-01T00:00:02.5Z") == Timestamp.Span(start: newYear + 2500, length: 1))
        #expect(Timestamp.parse("2026-01-01T01:00:00+01:00") == Timestamp.Span(start: newYear, length: 1000))
        #expect(Timestamp.parse("2025-12-31T19:00:00-0500") == Timestamp.Span(start: newYear, length: 1000))
        #expect(Timestamp.parse("2024-02-29")?.start == Int64(19_782) * 86_400_000)
        for bad in [
            "", "2026", "2026-1-01", "2026-13-01", "2023-02-29", "2026-04-31", "2026-01-01T24:00", "2026-01-01T10:60",
            "2026-01-01T10:00:00.", "2026-01-01T10:00:00Zjunk", "2026-01-01x",
        ] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
        // Round trip through the formatter.
        let millis: Int64 = 1_767_225_600_000 + 123_456_789
        #expect(Timestamp.parse(Timestamp.iso8601(millis: millis))?.start == millis)
    }
}
