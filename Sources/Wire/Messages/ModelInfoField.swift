import NIOCore

/// One input column of the served model, as described by ModelInfo (wire.md §13.3).
///
/// Wire layout: `string name`, `u8 kind` (0 numeric, 1 binary, 2 categorical), `u8 valueType`
/// (the column type Predict expects: 0 number, 1 text), `list<string> categories` (≤ 65,536;
/// the known levels of a binary or categorical column in encoding order, empty for numeric),
/// `optional<string> fill` (level imputed for a missing value), `optional<f64> numericFill`
/// (training median imputed for a missing number), `optional<f64> minimum`, `optional<f64> maximum`
/// (training range of a numeric column).
public struct ModelInfoField: Hashable, Sendable {
    /// How the model encodes the column.
    public enum Kind: UInt8, Hashable, Sendable {
        /// Imputed and standard-scaled number.
        case numeric = 0
        /// Two levels encoded as 0/1.
        case binary = 1
        /// One-hot encoded levels.
        case categorical = 2
    }

    /// Largest number of categories listed.
    public static let maxCategories = 65_536

    /// The column's name.
    public var name: String
    /// How the column is encoded.
    public var kind: Kind
    /// The Predict column type expected (``PredictColumn/numberType`` or ``PredictColumn/textType``).
    public var valueType: UInt8
    /// Known levels (binary, categorical), in encoding order.
    public var categories: [String]
    /// Level imputed for a missing binary or categorical value.
    public var fill: String?
    /// Number imputed for a missing numeric value.
    public var numericFill: Double?
    /// Smallest training value (numeric).
    public var minimum: Double?
    /// Largest training value (numeric).
    public var maximum: Double?

    /// Creates a field description.
    public init(
        name: String, kind: Kind, valueType: UInt8, categories: [String] = [], fill: String? = nil,
        numericFill: Double? = nil, minimum: Double? = nil, maximum: Double? = nil
    ) {
        self.name = name
        self.kind = kind
        self.valueType = valueType
        self.categories = categories
        self.fill = fill
        self.numericFill = numericFill
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Decodes a field.
    public init(from reader: inout WireReader) throws {
        name = try reader.string("fields[].name", maxLength: PredictColumn.maxNameLength)
        let rawKind: UInt8 = try reader.integer("fields[].kind")
        guard let kind = Kind(rawValue: rawKind) else {
            throw WireError.invalidValue(field: "fields[].kind", value: UInt64(rawKind))
        }
        self.kind = kind
        valueType = try reader.integer("fields[].valueType")
        guard valueType <= PredictColumn.textType else {
            throw WireError.invalidValue(field: "fields[].valueType", value: UInt64(valueType))
        }
        categories = try reader.list("fields[].categories", maxCount: Self.maxCategories, minimumItemSize: 4) {
            try $0.string("fields[].categories[]")
        }
        fill = try reader.optional("fields[].fill") { try $0.string("fields[].fill") }
        numericFill = try reader.optional("fields[].numericFill") { try $0.double("fields[].numericFill") }
        minimum = try reader.optional("fields[].minimum") { try $0.double("fields[].minimum") }
        maximum = try reader.optional("fields[].maximum") { try $0.double("fields[].maximum") }
    }

    /// Encodes the field.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(name)
        buffer.writeInteger(kind.rawValue)
        buffer.writeInteger(valueType)
        buffer.writeWireList(categories) { $0.writeWireString($1) }
        buffer.writeWireOptional(fill) { $0.writeWireString($1) }
        buffer.writeWireOptional(numericFill) { $0.writeWireDouble($1) }
        buffer.writeWireOptional(minimum) { $0.writeWireDouble($1) }
        buffer.writeWireOptional(maximum) { $0.writeWireDouble($1) }
    }
}
