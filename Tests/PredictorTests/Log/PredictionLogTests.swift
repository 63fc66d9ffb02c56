import Foundation
import NIOCore
import Testing
import Wire

@testable import Predictor

/// The prediction log's records, queue, sampling, exclusions, segments and crash tolerance,
/// written and read back through the files.
@Suite("Prediction log")
struct PredictionLogTests {
    /// A one-row request with a number column per name in `numbers` and the text column `Surname`.
    static func request(_ value: Double, numbers: [String] = ["Age", "Balance"]) -> ByteBuffer {
        var columns = numbers.map { PredictColumn.numbers($0, [value]) }
        columns.append(.texts("Surname", ["Name \(Int(value))"]))
        var buffer = ByteBuffer()
        PredictRequest(columns: columns).encode(into: &buffer)
        return buffer
    }

    /// A one-row response with probability `probability`.
    static func response(_ probability: Float) -> ByteBuffer {
        var buffer = ByteBuffer()
        PredictResponse(
            model: "churn", version: "7", threshold: 0.5, probabilities: [probability], labels: [probability >= 0.5]
        ).encode(into: &buffer)
        return buffer
    }

    static func read(_ directory: String) throws -> ([LoggedPrediction], PredictionLogReader.Report) {
        var predictions: [LoggedPrediction] = []
        let report = try PredictionLogReader(directory: directory).read {
            predictions.append(try LoggedPrediction($0))
        }
        return (predictions, report)
    }

    @Test("CRC-32C matches the standard check value and a hand-worked one")
    func checksum() {
        // The catalogue check value of CRC-32C over the ASCII digits 1…9.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        // 32 zero bytes: RFC 3720 (iSCSI) B.4's first example.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        // The eight-byte steps against the one-byte definition, at every length and alignment.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = Array(bytes[start..<end])
                var crc: UInt32 = 0xFFFF_FFFF
                for byte in slice {
                    crc ^= UInt32(byte)
                    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
                }
                let unaligned = bytes.withUnsafeBytes {
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<end]))
                }
                #expect(unaligned == crc ^ 0xFFFF_FFFF, "bytes \(start)..<\(end)")
            }
        }
    }

    @Test("entries come back in order with their inputs, model, version and probabilities")
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = PredictionLog(configuration: PredictionLogConfiguration(directory: directory.path))
        for index in 0..<50 {
            log.record(request: Self.request(Double(index)), response: Self.response(Float(index) / 50))
        }
        await log.flush()
        #expect(log.written == 50)
        let (predictions, report) = try Self.read(directory.path)
        #expect(report.entries == 50 && report.segments == 1 && report.damage.isEmpty)
        #expect(predictions.map { $0.probabilities[0] } == (0..<50).map { Float($0) / 50 })
        #expect(predictions.map { $0.labels[0] } == (0..<50).map { $0 >= 25 })
        #expect(predictions.allSatisfy { $0.model == "churn" && $0.version == "7" })
        #expect(
            predictions[3].columns == [.numbers("Age", [3]), .numbers("Balance", [3]), .texts("Surname", ["Name 3"])])
        #expect(Set(predictions.map(\.requestID)).count == 50)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(predictions.allSatisfy { abs($0.timeMillis - now) < 60_000 })
    }

    @Test("excluded columns never reach the file")
    func exclusion() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = PredictionLog(
            configuration: PredictionLogConfiguration(
                directory: directory.path, excludedColumns: ["Surname", "Balance"]))
        log.record(request: Self.request(41), response: Self.response(0.9))
        await log.flush()
        let (predictions, _) = try Self.read(directory.path)
        #expect(predictions.first?.columns == [.numbers("Age", [41])])
        let segment = try #require(try PredictionLogSegments.list(in: directory.path).first)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: segment.path))
        #expect(bytes.range(of: Data("Surname".utf8)) == nil && bytes.range(of: Data("Name 41".utf8)) == nil)
    }

    @Test("a full queue drops and counts entries instead of waiting, and Health says so")
    func fullQueueDrops() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = PredictionLog(configuration: PredictionLogConfiguration(directory: directory.path, queueCapacity: 10))
        #expect(log.healthNote == nil)
        for index in 0..<25 { log.record(request: Self.request(Double(index)), response: Self.response(0.1)) }
        #expect(log.dropped == 15)
        #expect(log.healthNote == "prediction log: 15 dropped (queue full)")
        await log.flush()
        let (predictions, _) = try Self.read(directory.path)
        #expect(predictions.map { $0.columns[0] } == (0..<10).map { .numbers("Age", [Double($0)]) })
    }

    @Test("the sample rate logs about that share of requests")
    func sampling() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = PredictionLog(
            configuration: PredictionLogConfiguration(
                directory: directory.path, sampleRate: 0.25, queueCapacity: 20_000))
        let request = Self.request(1)
        let response = Self.response(0.5)
        for _ in 0..<10_000 { log.record(request: request, response: response) }
        await log.flush()
        // Binomial(10,000, 0.25): standard deviation 43, so ±300 is about seven of them.
        #expect((2200...2800).contains(log.written), "\(log.written)")
        let (_, report) = try Self.read(directory.path)
        #expect(report.entries == log.written)
    }

    @Test("a record cut short or damaged ends its segment's reading, reported with its offset; other segments read on")
    func tornRecords() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = PredictionLog(configuration: PredictionLogConfiguration(directory: directory.path))
        for index in 0..<3 { log.record(request: Self.request(Double(index)), response: Self.response(0.2)) }
        await log.flush()
        let segment = try #require(try PredictionLogSegments.list(in: directory.path).first).path
        let whole = try Data(contentsOf: URL(fileURLWithPath: segment))
        let recordSize = whole.count / 3
        #expect(whole.count == 3 * recordSize)

        // The last record cut in half, as by a crash mid-write.
        try whole.prefix(2 * recordSize + recordSize / 2).write(to: URL(fileURLWithPath: segment))
        var (predictions, report) = try Self.read(directory.path)
        #expect(predictions.count == 2)
        #expect(report.damage.count == 1)
        #expect(report.damage.first?.offset == 2 * recordSize)
        #expect(report.damage.first?.unreadBytes == recordSize / 2)
        #expect(report.damage.first?.problem.contains("cut short") == true, "\(report.damage)")

        // One flipped byte in the second record's payload: its checksum catches it.
        var flipped = whole
        flipped[recordSize + 20] ^= 0x01
        try flipped.write(to: URL(fileURLWithPath: segment))
        (predictions, report) = try Self.read(directory.path)
        #expect(predictions.count == 1)
        #expect(report.damage.first?.problem == "a record whose checksum does not match")

        // A later segment (a restarted predictor) is read in full.
        let later = PredictionLog(configuration: PredictionLogConfiguration(directory: directory.path))
        later.record(request: Self.request(9), response: Self.response(0.3))
        await later.flush()
        (predictions, report) = try Self.read(directory.path)
        #expect(report.segments == 2 && predictions.count == 2)
        #expect(predictions.last?.columns.first == .numbers("Age", [9]))
    }

    @Test("segments roll over past their size, and reading keeps the order across them")
    func rollover() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = PredictionLog(
            configuration: PredictionLogConfiguration(directory: directory.path, segmentBytes: 1000))
        for index in 0..<40 {
            log.record(request: Self.request(Double(index)), response: Self.response(0.1))
            if index % 4 == 3 { await log.flush() }
        }
        let segments = try PredictionLogSegments.list(in: directory.path)
        #expect(segments.count >= 4, "\(segments.count) segments")
        let (predictions, report) = try Self.read(directory.path)
        #expect(report.damage.isEmpty)
        #expect(predictions.map { $0.columns[0] } == (0..<40).map { .numbers("Age", [Double($0)]) })
    }

    @Test("retention deletes segments last written before the cutoff and keeps the others")
    func retention() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old = directory.file("predictions-1700000000000-00000001.log")
        let recent = directory.file("predictions-1700000000001-00000002.log")
        FileManager.default.createFile(atPath: old, contents: Data())
        FileManager.default.createFile(atPath: recent, contents: Data())
        let tenDaysAgo = Date().addingTimeInterval(-10 * 86400)
        let twoHoursAgo = Date().addingTimeInterval(-2 * 3600)
        try FileManager.default.setAttributes([.modificationDate: tenDaysAgo], ofItemAtPath: old)
        try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: recent)
        let log = PredictionLog(
            configuration: PredictionLogConfiguration(directory: directory.path, retention: .seconds(86400)))
        log.record(request: Self.request(1), response: Self.response(0.1))
        await log.flush()
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: recent))
        #expect(try PredictionLogSegments.list(in: directory.path).count == 2)
    }

    @Test("segment names sort by start time and carry the writer")
    func segmentNames() {
        #expect(
            PredictionLogSegments.fileName(startMillis: 1_796_426_721_986, writer: 0xAA01F0)
                == "predictions-1796426721986-00aa01f0.log")
        #expect(PredictionLogSegments.fileName(startMillis: 5, writer: 1) == "predictions-0000000000005-00000001.log")
    }
}
