import NIOCore

/// Predict request, opcode 0x0300 (wire.md §13.2): a batch of raw customer rows, column-wise.
///
/// Body: `u16 explain` (0 = no explanations, k = the k largest factors per row), `u8 unseen`
/// (0 = the model's policy, 1 = zeros, 2 = error), `list<column> columns` (1…1,024; see
/// ``PredictColumn``). Every column holds the same number of values, 1…`maxRows`; the server
/// checks that (and the model's columns and types) and answers `invalidRequest` / `limitExceeded`
/// naming the column.
public struct PredictRequest: WireRequestMessage {
    public typealias Response = PredictResponse
    /// 0x0300.
    public static let opcode = Opcode.predict
    /// Largest number of columns.
    public static let maxColumns = 1024
    /// Rows a decoder accepts without knowing the server's `maxRows` (the frame limit bounds them first).
    public static let decodeRowBound = 16 * 1024 * 1024

    /// What to do with a category the model never saw in training.
    public enum UnseenPolicy: UInt8, Hashable, Sendable, CaseIterable {
        /// The model's own policy (recorded in the bundle).
        case modelDefault = 0
        /// Encode as none of the known categories and report a warning in the response.
        case zeros = 1
        /// Refuse the request with `invalidRequest` naming the column and row.
        case error = 2
    }

    /// Factors per row to return (0 = none).
    public var explain: UInt16
    /// The unseen-category policy for this request.
    public var unseen: UnseenPolicy
    /// The input columns.
    public var columns: [PredictColumn]

    /// Creates a request.
    public init(columns: [PredictColumn], explain: UInt16 = 0, unseen: UnseenPolicy = .modelDefault) {
        self.columns = columns
        self.explain = explain
        self.unseen = unseen
    }

    /// Rows in the request: the first column's value count (0 without columns).
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// Decodes the body with the default row bound.
    public init(from reader: inout WireReader) throws {
        try self.init(from: &reader, maxRows: Self.decodeRowBound)
    }

    /// Decodes the body, refusing any column with more than `maxRows` values.
    public init(from reader: inout WireReader, maxRows: Int) throws {
        explain = try reader.integer("explain")
        let raw: UInt8 = try reader.integer("unseen")
        guard let unseen = UnseenPolicy(rawValue: raw) else {
            throw WireError.invalidValue(field: "unseen", value: UInt64(raw))
        }
        self.unseen = unseen
        var index = 0
        columns = try reader.list("columns", maxCount: Self.maxColumns, minimumItemSize: 9) { item in
            defer { index += 1 }
            return try PredictColumn(from: &item, index: index, maxRows: maxRows)
        }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(explain)
        buffer.writeInteger(unseen.rawValue)
        buffer.writeWireList(columns) { $1.encode(into: &$0) }
    }
}
