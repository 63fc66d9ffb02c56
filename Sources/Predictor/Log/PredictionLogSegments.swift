import Foundation

/// The segment files of a prediction log directory: `predictions-<start millis>-<writer>.log`,
/// 13-digit start time first so that name order is time order.
public enum PredictionLogSegments {
    /// A segment file.
    public struct Segment: Sendable, Hashable {
        /// The full path.
        public var path: String
        /// When its writer opened it (Unix milliseconds).
        public var startMillis: Int64
    }

    static let prefix = "predictions-"
    static let suffix = ".log"

    /// The file name of a segment started at `startMillis` by writer `writer`.
    static func fileName(startMillis: Int64, writer: UInt32) -> String {
        let millis = String(startMillis)
        let hex = String(writer, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 13 - millis.count)) + millis + "-"
            + String(repeating: "0", count: max(0, 8 - hex.count)) + hex + suffix
    }

    /// The segments in `directory`, oldest first (none when the directory does not exist);
    /// other files are ignored.
    public static func list(in directory: String) throws -> [Segment] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.compactMap { name -> Segment? in
            guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
            let stem = name.dropFirst(prefix.count).dropLast(suffix.count)
            guard let dash = stem.firstIndex(of: "-"), let millis = Int64(stem[..<dash]) else { return nil }
            return Segment(path: directory + "/" + name, startMillis: millis)
        }
        .sorted { ($0.startMillis, $0.path) < ($1.startMillis, $1.path) }
    }

    /// Deletes the segments last written before `cutoff`, except `keeping`; returns how many.
    static func deleteExpired(in directory: String, before cutoff: Date, keeping: String?) throws -> Int {
        var deleted = 0
        for segment in try list(in: directory) where segment.path != keeping {
            let attributes = try? FileManager.default.attributesOfItem(atPath: segment.path)
            guard let modified = attributes?[.modificationDate] as? Date, modified < cutoff else { continue }
            if unlink(segment.path) == 0 { deleted += 1 }
        }
        return deleted
    }
}
