import NIOCore

/// One input column of a Predict request (wire.md §13.2): a name and one value per row, numbers
/// or text, `nil` where the value is missing.
///
/// Wire layout: `string name (1…256)`, `u8 type`, then for type 0 (`number`) `list<f64>` where a
/// NaN means missing, for type 1 (`text`) `list<optional<string>>`.
public struct PredictColumn: Hashable, Sendable {
    /// The values of a column.
    public enum Values: Hashable, Sendable {
        /// IEEE-754 binary64 numbers (type 0); `nil` is sent as a NaN and every NaN reads as `nil`.
        case numbers([Double?])
        /// UTF-8 text (type 1); `nil` is an absent optional.
        case texts([String?])

        /// The `u8` type code on the wire.
        public var typeCode: UInt8 {
            switch self {
            case .numbers: PredictColumn.numberType
            case .texts: PredictColumn.textType
            }
        }
    }

    /// Type code of a number column.
    public static let numberType: UInt8 = 0
    /// Type code of a text column.
    public static let textType: UInt8 = 1
    /// Largest byte length of a column name.
    public static let maxNameLength = 256
    /// The NaN written for a missing number (the canonical quiet NaN, `0x7FF8000000000000`).
    public static let missingNumberBits: UInt64 = 0x7FF8_0000_0000_0000

    /// The column's name (as in the model's schema; unknown columns are ignored by the server).
    public var name: String
    /// One value per row.
    public var values: Values

    /// Creates a column.
    public init(name: String, values: Values) {
        self.name = name
        self.values = values
    }

    /// A number column.
    public static func numbers(_ name: String, _ values: [Double?]) -> PredictColumn {
        PredictColumn(name: name, values: .numbers(values))
    }

    /// A text column.
    public static func texts(_ name: String, _ values: [String?]) -> PredictColumn {
        PredictColumn(name: name, values: .texts(values))
    }

    /// The number of values (rows).
    public var count: Int {
        switch values {
        case .numbers(let numbers): numbers.count
        case .texts(let texts): texts.count
        }
    }

    /// Decodes one column; `index` is its position, used in field names of errors (`columns[2].values`).
    public init(from reader: inout WireReader, index: Int, maxRows: Int) throws {
        name = try reader.string("columns[\(index)].name", maxLength: Self.maxNameLength)
        let type: UInt8 = try reader.integer("columns[\(index)].type")
        switch type {
        case Self.numberType:
            let numbers = try reader.list("columns[\(index)].values", maxCount: maxRows, minimumItemSize: 8) { item in
                let value = try item.double("columns[\(index)].values[]")
                return value.isNaN ? nil : value
            }
            values = .numbers(numbers)
        case Self.textType:
            let texts = try reader.list("columns[\(index)].values", maxCount: maxRows, minimumItemSize: 1) { item in
                try item.optional("columns[\(index)].values[]") { try $0.string("columns[\(index)].values[]") }
            }
            values = .texts(texts)
        default:
            throw WireError.invalidValue(field: "columns[\(index)].type", value: UInt64(type))
        }
    }

    /// Encodes the column.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeInteger(values.typeCode)
        switch values {
        case .numbers(let numbers):
            buffer.writeInteger(UInt32(truncatingIfNeeded: numbers.count))
            for number in numbers {
                buffer.writeInteger(
                    number.map { $0.isNaN ? Self.missingNumberBits : $0.bitPattern } ?? Self.missingNumberBits)
            }
        case .texts(let texts):
            buffer.writeWireList(texts) { buffer, text in
                buffer.writeWireOptional(text) { $0.writeWireString($1) }
            }
        }
    }
}
