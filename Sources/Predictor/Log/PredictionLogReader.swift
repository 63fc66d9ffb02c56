import Foundation
import NIOCore

/// Reads a prediction log directory, oldest segment first. A segment's records are read up to the
/// first one cut short or damaged (a crash mid-write leaves at most one such record, at the end of
/// the segment being written); the report names each such place instead of hiding it.
public struct PredictionLogReader: Sendable {
    /// Where a segment stopped being readable.
    public struct Damage: Sendable, Hashable, CustomStringConvertible {
        /// The segment file.
        public var segment: String
        /// Byte offset of the first unreadable record.
        public var offset: Int
        /// Bytes from there to the end of the file (not read).
        public var unreadBytes: Int
        /// What was wrong.
        public var problem: String

        /// `predictions-….log at byte 4096: a record of 300 bytes cut short at 120 (120 bytes not read)`.
        public var description: String {
            "\(segment) at byte \(offset): \(problem) (\(unreadBytes) bytes not read)"
        }
    }

    /// What a read found.
    public struct Report: Sendable {
        /// Segments read.
        public var segments = 0
        /// Entries read.
        public var entries = 0
        /// Segments that end in a record cut short or damaged.
        public var damage: [Damage] = []
    }

    /// The log directory.
    public let directory: String

    /// A reader of `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Calls `body` with every readable entry, oldest segment first, and reports what it read.
    @discardableResult
    public func read(_ body: (PredictionLogEntry) throws -> Void) throws -> Report {
        var report = Report()
        for segment in try PredictionLogSegments.list(in: directory) {
            let data = try Data(contentsOf: URL(fileURLWithPath: segment.path))
            var buffer = ByteBuffer(bytes: data)
            report.segments += 1
            reading: while true {
                switch PredictionLogEntry.decodeRecord(from: buffer) {
                case .end:
                    break reading
                case .entry(let entry, let consumed):
                    buffer.moveReaderIndex(forwardBy: consumed)
                    report.entries += 1
                    try body(entry)
                case .damaged(let problem):
                    let name = (segment.path as NSString).lastPathComponent
                    report.damage.append(
                        Damage(
                            segment: name, offset: buffer.readerIndex, unreadBytes: buffer.readableBytes,
                            problem: problem))
                    break reading
                }
            }
        }
        return report
    }
}
