import NIOCore
import Wire

/// The few leading fields of a Predict body, read without decoding the values: enough to decide
/// whether to answer on the event loop and to name a column in an error.
struct PredictRequestPeek {
    /// Requested factors per row.
    var explain: UInt16
    /// Values in the first column (the row count of a well-formed request), 0 without columns.
    var rows: Int

    /// Reads `explain` and the first column's value count without copying anything; nil when the
    /// body is too short (the full decode then reports the exact problem).
    init?(_ body: ByteBuffer) {
        let base = body.readerIndex
        guard let explain = body.getInteger(at: base, as: UInt16.self),
            let columns = body.getInteger(at: base + 3, as: UInt32.self)
        else { return nil }
        self.explain = explain
        guard columns > 0 else {
            rows = 0
            return
        }
        guard let nameLength = body.getInteger(at: base + 7, as: UInt32.self), nameLength <= PredictColumn.maxNameLength,
            let count = body.getInteger(at: base + 11 + Int(nameLength) + 1, as: UInt32.self)
        else { return nil }
        rows = Int(count)
    }

    /// The name of column `index` in `body`, if the body is readable that far.
    static func columnName(_ index: Int, in body: ByteBuffer) -> String? {
        var reader = WireReader(body)
        guard (try? reader.integer("explain", as: UInt16.self)) != nil,
            (try? reader.integer("unseen", as: UInt8.self)) != nil,
            (try? reader.integer("columns", as: UInt32.self)) != nil
        else { return nil }
        for skipped in 0..<index {
            guard (try? PredictColumn(from: &reader, index: skipped, maxRows: PredictRequest.decodeRowBound)) != nil else {
                return nil
            }
        }
        return try? reader.string("name", maxLength: PredictColumn.maxNameLength)
    }
}
