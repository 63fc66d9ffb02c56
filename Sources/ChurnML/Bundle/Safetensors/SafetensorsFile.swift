/// A safetensors file (https://github.com/huggingface/safetensors): named tensors plus a
/// string-to-string metadata map, in a layout any language can read without executing code.
///
/// Layout: an 8-byte little-endian `u64` N, then N bytes of UTF-8 JSON header, then the data
/// buffer. The header maps each tensor name to `{"dtype":"F32","shape":[2,3],"data_offsets":[b,e]}`
/// (offsets relative to the buffer start) and may hold `"__metadata__": {string: string}`.
///
/// ``serialized()`` is deterministic — the same content always gives the same bytes: header keys
/// sorted by their UTF-8 bytes, each entry's fields in the order `dtype, shape, data_offsets`,
/// compact JSON, `__metadata__` left out when empty, tensors laid out back to back in name order,
/// and the header padded with spaces so that the data buffer starts at an 8-byte-aligned offset.
///
/// ``init(parsing:)`` is strict and never traps: every malformed input gives a distinct
/// ``SafetensorsError``.
public struct SafetensorsFile: Sendable, Equatable {
    /// The largest header accepted or written (100 MB, the reference implementation's limit).
    public static let maxHeaderBytes = 100_000_000

    /// The `__metadata__` map.
    public var metadata: [String: String]
    /// Tensors by name.
    public var tensors: [String: SafetensorsTensor]

    /// Creates a file from its parts.
    public init(metadata: [String: String] = [:], tensors: [String: SafetensorsTensor] = [:]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// The file's bytes.
    /// - Throws: ``SafetensorsError/reservedTensorName`` for a tensor named `__metadata__`,
    ///   ``SafetensorsError/byteCountMismatch(tensor:expected:actual:)`` or
    ///   ``SafetensorsError/invalidShape(_:)`` for a tensor whose bytes do not fit its shape,
    ///   ``SafetensorsError/headerTooLarge(declared:limit:)`` past ``maxHeaderBytes``.
    public func serialized() throws -> [UInt8] {
        guard tensors[SafetensorsHeader.metadataKey] == nil else { throw SafetensorsError.reservedTensorName }
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var offsets: [String: (begin: Int, end: Int)] = [:]
        var dataSize = 0
        for name in names {
            guard let tensor = tensors[name] else { continue }
            let expected = try SafetensorsTensor.byteCount(dtype: tensor.dtype, shape: tensor.shape)
            guard tensor.bytes.count == expected else {
                throw SafetensorsError.byteCountMismatch(tensor: name, expected: expected, actual: tensor.bytes.count)
            }
            offsets[name] = (dataSize, dataSize + expected)
            dataSize += expected
        }

        var keys = names
        if !metadata.isEmpty { keys.append(SafetensorsHeader.metadataKey) }
        keys.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var header: [UInt8] = [UInt8(ascii: "{")]
        for (index, key) in keys.enumerated() {
            if index > 0 { header.append(UInt8(ascii: ",")) }
            SafetensorsJSONWriter.appendString(key, to: &header)
            header.append(UInt8(ascii: ":"))
            if let tensor = tensors[key], let range = offsets[key] {
                header.append(contentsOf: Array(#"{"dtype":"#.utf8))
                SafetensorsJSONWriter.appendString(tensor.dtype.rawValue, to: &header)
                header.append(contentsOf: Array(#","shape":"#.utf8))
                SafetensorsJSONWriter.appendIntegerArray(tensor.shape, to: &header)
                header.append(contentsOf: Array(#","data_offsets":"#.utf8))
                SafetensorsJSONWriter.appendIntegerArray([range.begin, range.end], to: &header)
                header.append(UInt8(ascii: "}"))
            } else {
                appendMetadata(to: &header)
            }
        }
        header.append(UInt8(ascii: "}"))
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        guard header.count <= Self.maxHeaderBytes else {
            throw SafetensorsError.headerTooLarge(declared: UInt64(header.count), limit: Self.maxHeaderBytes)
        }

        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + dataSize)
        var length = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for name in names {
            if let tensor = tensors[name] { out.append(contentsOf: tensor.bytes) }
        }
        return out
    }

    private func appendMetadata(to header: inout [UInt8]) {
        header.append(UInt8(ascii: "{"))
        let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 { header.append(UInt8(ascii: ",")) }
            SafetensorsJSONWriter.appendString(key, to: &header)
            header.append(UInt8(ascii: ":"))
            SafetensorsJSONWriter.appendString(metadata[key] ?? "", to: &header)
        }
        header.append(UInt8(ascii: "}"))
    }

    /// Parses and validates a whole file.
    ///
    /// Accepts any file that follows the format with the dtypes of ``SafetensorsDType`` (header
    /// padding with trailing whitespace included); rejects everything else with a distinct
    /// ``SafetensorsError``: a file under 8 bytes, a header length over ``maxHeaderBytes`` or past
    /// the end, a header that is not UTF-8, not JSON or not an object, duplicate keys, entries
    /// with missing, extra or mistyped fields, unknown dtypes, negative or overflowing shapes,
    /// bad offsets, a size that is not `product(shape) × dtype size`, overlapping tensors, holes
    /// in the buffer, trailing bytes, and metadata values that are not strings.
    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count >= 8 else { throw SafetensorsError.fileTooShort(byteCount: bytes.count) }
        var declared: UInt64 = 0
        for i in 0..<8 { declared |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard declared <= UInt64(Self.maxHeaderBytes) else {
            throw SafetensorsError.headerTooLarge(declared: declared, limit: Self.maxHeaderBytes)
        }
        let remaining = bytes.count - 8
        guard declared <= UInt64(remaining) else {
            throw SafetensorsError.truncatedHeader(declared: declared, remaining: remaining)
        }
        let headerEnd = 8 + Int(declared)
        let headerBytes = Array(bytes[8..<headerEnd])
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw SafetensorsError.headerNotUTF8 }
        guard headerBytes.first == UInt8(ascii: "{") else { throw SafetensorsError.headerNotObject }
        let json: JSONValue
        do throws(JSONParser.SyntaxError) {
            json = try JSONParser.parse(headerBytes, inputName: "header")
        } catch {
            if let key = error.duplicateKey { throw SafetensorsError.duplicateKey(key) }
            throw SafetensorsError.headerNotJSON(offset: error.offset, reason: error.reason)
        }
        let header = try SafetensorsHeader(json: json, bufferSize: bytes.count - headerEnd)

        var tensors: [String: SafetensorsTensor] = [:]
        tensors.reserveCapacity(header.entries.count)
        for entry in header.entries {
            let slice = Array(bytes[(headerEnd + entry.begin)..<(headerEnd + entry.end)])
            tensors[entry.name] = try SafetensorsTensor(dtype: entry.dtype, shape: entry.shape, bytes: slice)
        }
        self.metadata = header.metadata
        self.tensors = tensors
    }
}
