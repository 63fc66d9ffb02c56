/// Why bytes are not a valid safetensors file, or why a tensor or file cannot be built.
///
/// Every case names what is wrong and where, so that `description` alone tells a user what
/// happened, e.g. `truncated file: header says 812 bytes, 100 remain`.
public enum SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: Framing
    /// Fewer than the 8 bytes of the header-length prefix.
    case fileTooShort(byteCount: Int)
    /// The header length is above the limit (``SafetensorsFile/maxHeaderBytes``).
    case headerTooLarge(declared: UInt64, limit: Int)
    /// The header length is larger than the bytes that follow the prefix.
    case truncatedHeader(declared: UInt64, remaining: Int)

    // MARK: Header JSON
    /// The header bytes are not valid UTF-8.
    case headerNotUTF8
    /// The header is not well-formed JSON; `offset` is the byte offset within the header.
    case headerNotJSON(offset: Int, reason: String)
    /// The header is JSON but not an object (it must begin with `{`).
    case headerNotObject
    /// An object in the header has the same key twice.
    case duplicateKey(String)

    // MARK: Tensor entries
    /// A tensor's entry is not a JSON object.
    case entryNotObject(tensor: String)
    /// A tensor's entry lacks `dtype`, `shape` or `data_offsets`.
    case missingField(tensor: String, field: String)
    /// A tensor's entry has a field the format does not define.
    case unexpectedField(tensor: String, field: String)
    /// A tensor's field has the wrong JSON type.
    case invalidFieldType(tensor: String, field: String, expected: String)
    /// A tensor's dtype is not one of ``SafetensorsDType``.
    case unknownDType(tensor: String, dtype: String)
    /// A shape entry is negative or not an integer; `value` is its JSON text.
    case invalidDimension(tensor: String, index: Int, value: String)
    /// The shape's element count (or byte count) does not fit in an `Int`.
    case shapeOverflow(tensor: String, shape: [Int])
    /// `data_offsets` is not a pair of non-negative integers.
    case invalidOffsets(tensor: String, reason: String)
    /// `data_offsets` ends before it begins.
    case reversedOffsets(tensor: String, begin: Int, end: Int)
    /// `data_offsets` reaches past the end of the data buffer.
    case offsetsOutOfBuffer(tensor: String, end: Int, bufferSize: Int)
    /// A tensor's byte count is not `product(shape) × dtype size`; `tensor` is `nil` for a
    /// tensor not yet in a file.
    case byteCountMismatch(tensor: String?, expected: Int, actual: Int)
    /// Two tensors share bytes of the data buffer.
    case overlappingTensors(first: String, second: String)
    /// Bytes of the data buffer between two tensors belong to no tensor.
    case holeInBuffer(begin: Int, end: Int)
    /// Bytes at the end of the data buffer belong to no tensor.
    case trailingBytes(count: Int)

    // MARK: Metadata
    /// `__metadata__` is not an object.
    case metadataNotObject
    /// A `__metadata__` value is not a string.
    case metadataValueNotString(key: String)

    // MARK: Building tensors and files
    /// A tensor's shape has a negative dimension or too many elements.
    case invalidShape([Int])
    /// The number of values given does not match the shape's element count.
    case elementCountMismatch(shape: [Int], expected: Int, actual: Int)
    /// Values were read as one dtype from a tensor of another.
    case dtypeMismatch(expected: SafetensorsDType, actual: SafetensorsDType)
    /// A tensor is named `__metadata__`, which the format reserves.
    case reservedTensorName

    /// A one-line message that says what is wrong and where.
    public var description: String {
        switch self {
        case .fileTooShort(let count):
            return "file too short: \(count) bytes, a safetensors file starts with an 8-byte header length"
        case .headerTooLarge(let declared, let limit):
            return "header too large: header says \(declared) bytes, the limit is \(limit)"
        case .truncatedHeader(let declared, let remaining):
            return "truncated file: header says \(declared) bytes, \(remaining) remain"
        case .headerNotUTF8:
            return "header is not valid UTF-8"
        case .headerNotJSON(let offset, let reason):
            return "header is not valid JSON at byte \(offset): \(reason)"
        case .headerNotObject:
            return "header is not a JSON object (it must begin with '{')"
        case .duplicateKey(let key):
            return "header has the key \(quoted(key)) more than once"
        case .entryNotObject(let tensor):
            return "tensor \(quoted(tensor)): entry is not a JSON object"
        case .missingField(let tensor, let field):
            return "tensor \(quoted(tensor)): missing field \"\(field)\""
        case .unexpectedField(let tensor, let field):
            return "tensor \(quoted(tensor)): unexpected field \(quoted(field))"
        case .invalidFieldType(let tensor, let field, let expected):
            return "tensor \(quoted(tensor)): \"\(field)\" must be \(expected)"
        case .unknownDType(let tensor, let dtype):
            let known = SafetensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "tensor \(quoted(tensor)): unknown dtype \(quoted(dtype)) (supported: \(known))"
        case .invalidDimension(let tensor, let index, let value):
            return "tensor \(quoted(tensor)): shape[\(index)] is \(value); dimensions must be non-negative integers"
        case .shapeOverflow(let tensor, let shape):
            return "tensor \(quoted(tensor)): shape \(shape) has too many elements"
        case .invalidOffsets(let tensor, let reason):
            return "tensor \(quoted(tensor)): data_offsets \(reason)"
        case .reversedOffsets(let tensor, let begin, let end):
            return "tensor \(quoted(tensor)): data_offsets end \(end) is before begin \(begin)"
        case .offsetsOutOfBuffer(let tensor, let end, let bufferSize):
            return "tensor \(quoted(tensor)): data_offsets end \(end) is past the data buffer (\(bufferSize) bytes)"
        case .byteCountMismatch(let tensor, let expected, let actual):
            let prefix = tensor.map { "tensor \(quoted($0)): " } ?? ""
            return prefix + "data is \(actual) bytes but its dtype and shape need \(expected)"
        case .overlappingTensors(let first, let second):
            return "tensors \(quoted(first)) and \(quoted(second)) overlap in the data buffer"
        case .holeInBuffer(let begin, let end):
            return "data buffer bytes \(begin)..<\(end) belong to no tensor"
        case .trailingBytes(let count):
            return "\(count) trailing bytes after the last tensor belong to no tensor"
        case .metadataNotObject:
            return "__metadata__ is not a JSON object"
        case .metadataValueNotString(let key):
            return "__metadata__ value for \(quoted(key)) is not a string"
        case .invalidShape(let shape):
            return "shape \(shape) has a negative dimension or too many elements"
        case .elementCountMismatch(let shape, let expected, let actual):
            return "shape \(shape) needs \(expected) values, got \(actual)"
        case .dtypeMismatch(let expected, let actual):
            return "tensor is \(actual.rawValue), not \(expected.rawValue)"
        case .reservedTensorName:
            return "a tensor cannot be named \"__metadata__\""
        }
    }

    /// `text` in double quotes, shortened to 60 characters so that one bad name cannot flood a
    /// terminal.
    private func quoted(_ text: String) -> String {
        let short = text.count <= 60 ? text : String(text.prefix(57)) + "..."
        return "\"\(short)\""
    }
}
