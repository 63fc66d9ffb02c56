import NIOCore

/// The few leading fields of a Predict body (``PredictRequest``), read without decoding the
/// values: enough for a server to decide whether to answer on the event loop and to name a column
/// in an error. It lives beside ``PredictRequest`` because it depends on that body's byte layout:
/// `u16 explain`, `u8 unseen`, `u32 column count`, then the first column — `u32 name length`, the
/// name, `u8 type`, `u32 value count`.
public struct PredictRequestPeek: Sendable {
    /// Offset of `u16 explain`.
    private static let explainOffset = 0
    /// Offset of the `u32` column count (after `explain` and `u8 unseen`).
    private static let columnCountOffset = 3
    /// Offset of the first column's `u32` name length.
    private static let firstNameLengthOffset = 7

    /// Requested factors per row.
    public var explain: UInt16
    /// Values in the first column (the row count of a well-formed request), 0 without columns.
    public var rows: Int

    /// Reads `explain` and the first column's value count without copying anything; nil when the
    /// body is too short (the full decode then reports the exact problem).
    public init?(_ body: ByteBuffer) {
        let base = body.readerIndex
        guard let explain = body.getInteger(at: base + Self.explainOffset, as: UInt16.self),
            let columns = body.getInteger(at: base + Self.columnCountOffset, as: UInt32.self)
        else { return nil }
        self.explain = explain
        guard columns > 0 else {
            rows = 0
            return
        }
        let nameStart = base + Self.firstNameLengthOffset + 4
        guard let nameLength = body.getInteger(at: base + Self.firstNameLengthOffset, as: UInt32.self),
            nameLength <= PredictColumn.maxNameLength,
            let count = body.getInteger(at: nameStart + Int(nameLength) + 1, as: UInt32.self)
        else { return nil }
        rows = Int(count)
    }

    /// The name of column `index` in `body`, if the body is readable that far.
    public static func columnName(_ index: Int, in body: ByteBuffer) -> String? {
        var reader = WireReader(body)
        guard (try? reader.integer("explain", as: UInt16.self)) != nil,
            (try? reader.integer("unseen", as: UInt8.self)) != nil,
            (try? reader.integer("columns", as: UInt32.self)) != nil
        else { return nil }
        for skipped in 0..<index {
            guard (try? PredictColumn(from: &reader, index: skipped, maxRows: PredictRequest.decodeRowBound)) != nil
            else {
                return nil
            }
        }
        return try? reader.string("name", maxLength: PredictColumn.maxNameLength)
    }
}
