import NIOCore

/// PredictorDrift response (wire.md §13.5): the population stability index of each input column
/// and of the score over the predictor's rolling window of live rows.
///
/// Body: `string model`, `string version`, `u64 rows` (in the window), `u64 minimumRows` (before
/// Health reports drift), `list<entry> columns` (≤ 1,024, schema order), `entry score`; entry:
/// `string name`, `f64 psi` (NaN with no rows), `u8 level` (0 stable, 1 warning ≥ 0.1, 2 alert ≥ 0.25).
public struct PredictorDriftResponse: WireMessage {
    /// One column's (or the score's) stability.
    public struct Entry: Sendable, Hashable {
        /// How far a population moved.
        public enum Level: UInt8, Sendable, Hashable, CaseIterable {
            /// PSI below 0.1 (or no rows yet).
            case stable = 0
            /// PSI from 0.1 to below 0.25.
            case warning = 1
            /// PSI of 0.25 or more.
            case alert = 2

            /// `stable`, `warning` or `alert`.
            public var name: String {
                switch self {
                case .stable: "stable"
                case .warning: "warning"
                case .alert: "alert"
                }
            }
        }

        /// The column name (`score` for the churn probability).
        public var name: String
        /// The PSI over the window, nil with no rows.
        public var psi: Double?
        /// Its band.
        public var level: Level

        public init(name: String, psi: Double?, level: Level) {
            self.name = name
            self.psi = psi
            self.level = level
        }

        init(from reader: inout WireReader) throws {
            name = try reader.string("name", maxLength: PredictColumn.maxNameLength)
            let value = try reader.double("psi")
            psi = value.isNaN ? nil : value
            let raw: UInt8 = try reader.integer("level")
            guard let level = Level(rawValue: raw) else {
                throw WireError.invalidValue(field: "level", value: UInt64(raw))
            }
            self.level = level
        }

        func encode(into buffer: inout ByteBuffer) {
            buffer.writeWireString(name)
            buffer.writeWireDouble(psi ?? .nan)
            buffer.writeInteger(level.rawValue)
        }
    }

    /// The model the window belongs to.
    public var model: String
    /// Its version.
    public var version: String
    /// Rows in the window.
    public var rows: UInt64
    /// Rows the window needs before the predictor's Health reports drift.
    public var minimumRows: UInt64
    /// The input columns, in schema order.
    public var columns: [Entry]
    /// The churn probability.
    public var score: Entry

    /// The columns by decreasing PSI (ties, and columns without rows, in schema order).
    public var columnsWorstFirst: [Entry] {
        columns.enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element.psi ?? -1, rhs.element.psi ?? -1)
            return left != right ? left > right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    public init(model: String, version: String, rows: UInt64, minimumRows: UInt64, columns: [Entry], score: Entry) {
        self.model = model
        self.version = version
        self.rows = rows
        self.minimumRows = minimumRows
        self.columns = columns
        self.score = score
    }

    public init(from reader: inout WireReader) throws {
        model = try reader.string("model", maxLength: 1024)
        version = try reader.string("version", maxLength: 1024)
        rows = try reader.integer("rows")
        minimumRows = try reader.integer("minimumRows")
        columns = try reader.list("columns", maxCount: PredictRequest.maxColumns, minimumItemSize: 13) { item in
            try Entry(from: &item)
        }
        score = try Entry(from: &reader)
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(model)
        buffer.writeWireString(version)
        buffer.writeInteger(rows)
        buffer.writeInteger(minimumRows)
        buffer.writeWireList(columns) { $1.encode(into: &$0) }
        score.encode(into: &buffer)
    }
}
