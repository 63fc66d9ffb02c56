/// The validated header of a safetensors file: metadata and one entry per tensor, each checked
/// on its own (fields, dtype, shape, offsets, size) and all together (the entries tile the data
/// buffer exactly: no overlaps, no holes, no trailing bytes).
struct SafetensorsHeader {
    /// One tensor's header entry.
    struct Entry {
        /// The tensor's name (its key in the header).
        var name: String
        /// Element type.
        var dtype: SafetensorsDType
        /// Dimensions.
        var shape: [Int]
        /// First byte, relative to the data buffer.
        var begin: Int
        /// One past the last byte, relative to the data buffer.
        var end: Int
    }

    /// The key that holds the string-to-string metadata map.
    static let metadataKey = "__metadata__"
    /// The fields a tensor entry must have, and the only ones it may have.
    static let entryFields: Set<String> = ["dtype", "shape", "data_offsets"]

    /// `__metadata__`, empty when absent or `null`.
    private(set) var metadata: [String: String] = [:]
    /// Tensor entries in header order.
    private(set) var entries: [Entry] = []

    /// Validates a parsed header against a data buffer of `bufferSize` bytes.
    init(json: JSONValue, bufferSize: Int) throws(SafetensorsError) {
        guard case .object(let object) = json else { throw .headerNotObject }
        for (key, value) in object.members {
            if key == Self.metadataKey {
                metadata = try Self.metadata(value)
            } else {
                entries.append(try Self.entry(named: key, value, bufferSize: bufferSize))
            }
        }
        try Self.checkLayout(entries, bufferSize: bufferSize)
    }

    private static func metadata(_ value: JSONValue) throws(SafetensorsError) -> [String: String] {
        if case .null = value { return [:] }
        guard case .object(let object) = value else { throw .metadataNotObject }
        var result: [String: String] = [:]
        for (key, item) in object.members {
            guard case .string(let text) = item else { throw .metadataValueNotString(key: key) }
            result[key] = text
        }
        return result
    }

    private static func entry(named name: String, _ value: JSONValue, bufferSize: Int) throws(SafetensorsError) -> Entry
    {
        guard case .object(let object) = value else { throw .entryNotObject(tensor: name) }
        var fields: [String: JSONValue] = [:]
        for (key, item) in object.members {
            guard entryFields.contains(key) else { throw .unexpectedField(tensor: name, field: key) }
            fields[key] = item
        }
        guard let dtypeValue = fields["dtype"] else { throw .missingField(tensor: name, field: "dtype") }
        guard let shapeValue = fields["shape"] else { throw .missingField(tensor: name, field: "shape") }
        guard let offsetsValue = fields["data_offsets"] else {
            throw .missingField(tensor: name, field: "data_offsets")
        }

        guard case .string(let dtypeText) = dtypeValue else {
            throw .invalidFieldType(tensor: name, field: "dtype", expected: "a string")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeText) else {
            throw .unknownDType(tensor: name, dtype: dtypeText)
        }

        guard case .array(let dimensions) = shapeValue else {
            throw .invalidFieldType(tensor: name, field: "shape", expected: "an array of integers")
        }
        var shape: [Int] = []
        shape.reserveCapacity(dimensions.count)
        for (index, dimension) in dimensions.enumerated() {
            guard case .number(let number) = dimension, let size = number.integer, size >= 0 else {
                throw .invalidDimension(tensor: name, index: index, value: dimension.summary)
            }
            shape.append(size)
        }
        guard let count = SafetensorsTensor.elementCount(shape) else {
            throw .shapeOverflow(tensor: name, shape: shape)
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw .shapeOverflow(tensor: name, shape: shape) }

        guard case .array(let offsets) = offsetsValue else {
            throw .invalidFieldType(tensor: name, field: "data_offsets", expected: "an array of two integers")
        }
        guard offsets.count == 2 else {
            throw .invalidOffsets(tensor: name, reason: "has \(offsets.count) entries, expected 2")
        }
        guard case .number(let first) = offsets[0], let begin = first.integer, case .number(let second) = offsets[1],
            let end = second.integer
        else {
            throw .invalidOffsets(
                tensor: name, reason: "[\(offsets[0].summary), \(offsets[1].summary)] are not both integers")
        }
        guard begin >= 0, end >= 0 else {
            throw .invalidOffsets(tensor: name, reason: "[\(begin), \(end)] are not both non-negative")
        }
        guard end >= begin else { throw .reversedOffsets(tensor: name, begin: begin, end: end) }
        guard end <= bufferSize else { throw .offsetsOutOfBuffer(tensor: name, end: end, bufferSize: bufferSize) }
        guard end - begin == byteCount else {
            throw .byteCountMismatch(tensor: name, expected: byteCount, actual: end - begin)
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// Checks that the entries, sorted by offsets, cover `0..<bufferSize` exactly once, as the
    /// format requires (the reference implementation rejects holes and overlaps the same way).
    private static func checkLayout(_ entries: [Entry], bufferSize: Int) throws(SafetensorsError) {
        let sorted = entries.sorted { a, b in
            if a.begin != b.begin { return a.begin < b.begin }
            if a.end != b.end { return a.end < b.end }
            return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        var cursor = 0
        var previous: String?
        for entry in sorted {
            if entry.begin < cursor {
                throw .overlappingTensors(first: previous ?? "", second: entry.name)
            }
            if entry.begin > cursor { throw .holeInBuffer(begin: cursor, end: entry.begin) }
            cursor = entry.end
            previous = entry.name
        }
        if cursor < bufferSize { throw .trailingBytes(count: bufferSize - cursor) }
    }
}

extension JSONValue {
    /// A short rendering for header error messages: the literal for scalars (numbers as written),
    /// a type name otherwise.
    fileprivate var summary: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let number): return number.text
        case .string(let text): return text.count <= 40 ? "\"\(text)\"" : "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
