import ChurnML
import Foundation
import NIOCore
import Wire

/// Appends batches of entries to the current segment and fsyncs them; starts a new segment past
/// the configured size or age, and deletes expired ones. Blocking: runs on ``BlockingIO``, one
/// batch at a time (``PredictionLog`` holds it under a lock).
struct PredictionLogWriter {
    let configuration: PredictionLogConfiguration
    /// Names this writer's segments apart from another process's in the same directory.
    let writerID: UInt32
    private var descriptor: Int32 = -1
    private var path: String?
    private var size = 0
    private var openedAt = ContinuousClock.now
    private var lastRetentionCheck: ContinuousClock.Instant?
    /// The buffer the request path fills next: the last batch's, emptied, so its capacity is reused.
    var spare = ByteBufferAllocator().buffer(capacity: 64 * 1024)

    init(configuration: PredictionLogConfiguration, writerID: UInt32) {
        self.configuration = configuration
        self.writerID = writerID
    }

    /// Seals the `count` records of `records` (see ``PredictionLogEntry/appendUnsealed``), leaving
    /// out the excluded columns, writes them and fsyncs the segment; returns how many were written
    /// (a record whose request cannot be decoded to drop excluded columns is left out, never logged
    /// whole).
    mutating func append(_ records: inout ByteBuffer, count: Int) throws -> Int {
        var written = count
        if !configuration.excludedColumns.isEmpty {
            var kept = ByteBufferAllocator().buffer(capacity: records.readableBytes)
            written = 0
            for entry in PredictionLogEntry.unsealedEntries(records) {
                guard let request = Self.excluding(configuration.excludedColumns, from: entry.request) else { continue }
                PredictionLogEntry.appendUnsealed(
                    requestID: entry.requestID, timeMillis: entry.timeMillis, request: request,
                    response: entry.response, to: &kept)
                written += 1
            }
            records = kept
        }
        guard written > 0 else { return 0 }
        PredictionLogEntry.seal(&records)
        if descriptor < 0 || size >= configuration.segmentBytes
            || ContinuousClock.now - openedAt >= configuration.segmentAge
        {
            try startSegment()
        }
        let path = self.path ?? configuration.directory
        try records.withUnsafeReadableBytes { try FileBytes.writeAll($0, to: descriptor, path: path) }
        size += records.readableBytes
        try FileBytes.syncDescriptor(descriptor, path: path)
        try expireSegments()
        return written
    }

    /// Closes the current segment.
    mutating func close() {
        if descriptor >= 0 { Foundation.close(descriptor) }
        descriptor = -1
        path = nil
    }

    private mutating func startSegment() throws {
        close()
        try FileManager.default.createDirectory(atPath: configuration.directory, withIntermediateDirectories: true)
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        let path =
            configuration.directory + "/"
            + PredictionLogSegments.fileName(startMillis: millis, writer: writerID)
        let opened = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw FileSystemError(path: path, operation: "cannot open log segment", code: errno) }
        descriptor = opened
        self.path = path
        size = 0
        openedAt = .now
        try FileBytes.syncDirectory(configuration.directory)
    }

    /// Deletes expired segments, at most once a minute.
    private mutating func expireSegments() throws {
        guard let retention = configuration.retention else { return }
        let now = ContinuousClock.now
        if let last = lastRetentionCheck, now - last < .seconds(60) { return }
        lastRetentionCheck = now
        let seconds = Double(retention.components.seconds) + Double(retention.components.attoseconds) / 1e18
        let cutoff = Date().addingTimeInterval(-seconds)
        if try PredictionLogSegments.deleteExpired(in: configuration.directory, before: cutoff, keeping: path) > 0 {
            try FileBytes.syncDirectory(configuration.directory)
        }
    }

    /// `request` without the columns named in `excluded`; nil when it cannot be decoded.
    static func excluding(_ excluded: Set<String>, from request: ByteBuffer) -> ByteBuffer? {
        guard var decoded = try? PredictRequest.decode(from: request) else { return nil }
        guard decoded.columns.contains(where: { excluded.contains($0.name) }) else { return request }
        decoded.columns.removeAll { excluded.contains($0.name) }
        var buffer = ByteBufferAllocator().buffer(capacity: request.readableBytes)
        decoded.encode(into: &buffer)
        return buffer
    }
}
