/// One tensor of a safetensors file: element type, shape (row-major, outermost first) and the
/// raw little-endian bytes of its elements.
///
/// The typed initializers check that the number of values matches the shape; the typed readers
/// check the dtype and the byte count, so a tensor whose public fields were edited into an
/// inconsistent state is reported, never trapped on.
public struct SafetensorsTensor: Sendable, Equatable {
    /// Element type.
    public var dtype: SafetensorsDType
    /// Dimensions; `[]` is a scalar (one element).
    public var shape: [Int]
    /// `product(shape) × dtype.byteSize` little-endian bytes.
    public var bytes: [UInt8]

    /// Creates a tensor from raw little-endian bytes.
    /// - Throws: ``SafetensorsError/invalidShape(_:)`` or
    ///   ``SafetensorsError/byteCountMismatch(tensor:expected:actual:)``.
    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        let expected = try Self.byteCount(dtype: dtype, shape: shape)
        guard bytes.count == expected else {
            throw SafetensorsError.byteCountMismatch(tensor: nil, expected: expected, actual: bytes.count)
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// An `F32` tensor holding `values` in row-major order.
    /// - Throws: ``SafetensorsError/elementCountMismatch(shape:expected:actual:)`` unless
    ///   `values.count == product(shape)`, ``SafetensorsError/invalidShape(_:)`` for a bad shape.
    public init(float32 values: [Float], shape: [Int]) throws {
        try self.init(.f32, shape: shape, values: values) { $0.bitPattern }
    }

    /// An `F64` tensor holding `values` in row-major order.
    public init(float64 values: [Double], shape: [Int]) throws {
        try self.init(.f64, shape: shape, values: values) { $0.bitPattern }
    }

    /// An `I64` tensor holding `values` in row-major order.
    public init(int64 values: [Int64], shape: [Int]) throws {
        try self.init(.i64, shape: shape, values: values) { $0 }
    }

    /// An `I32` tensor holding `values` in row-major order.
    public init(int32 values: [Int32], shape: [Int]) throws {
        try self.init(.i32, shape: shape, values: values) { $0 }
    }

    /// A `U8` tensor holding `values` in row-major order.
    public init(uint8 values: [UInt8], shape: [Int]) throws {
        try self.init(.u8, shape: shape, values: values) { $0 }
    }

    /// The elements of an `F32` tensor.
    /// - Throws: ``SafetensorsError/dtypeMismatch(expected:actual:)`` for another dtype,
    ///   ``SafetensorsError/byteCountMismatch(tensor:expected:actual:)`` if `bytes` does not fit `shape`.
    public func float32Values() throws -> [Float] {
        try values(.f32) { (bits: UInt32) in Float(bitPattern: bits) }
    }

    /// The elements of an `F64` tensor.
    public func float64Values() throws -> [Double] {
        try values(.f64) { (bits: UInt64) in Double(bitPattern: bits) }
    }

    /// The elements of an `I64` tensor.
    public func int64Values() throws -> [Int64] {
        try values(.i64) { (value: Int64) in value }
    }

    /// The elements of an `I32` tensor.
    public func int32Values() throws -> [Int32] {
        try values(.i32) { (value: Int32) in value }
    }

    /// The elements of a `U8` tensor.
    public func uint8Values() throws -> [UInt8] {
        try values(.u8) { (value: UInt8) in value }
    }

    /// `product(shape)`, or `nil` when a dimension is negative or the product overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// `product(shape) × dtype.byteSize`, throwing ``SafetensorsError/invalidShape(_:)`` when it
    /// cannot be computed.
    static func byteCount(dtype: SafetensorsDType, shape: [Int]) throws -> Int {
        guard let count = elementCount(shape) else { throw SafetensorsError.invalidShape(shape) }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw SafetensorsError.invalidShape(shape) }
        return bytes
    }

    private init<Element, Storage: FixedWidthInteger>(
        _ dtype: SafetensorsDType, shape: [Int], values: [Element], bits: (Element) -> Storage
    ) throws {
        guard let count = Self.elementCount(shape) else { throw SafetensorsError.invalidShape(shape) }
        guard values.count == count else {
            throw SafetensorsError.elementCountMismatch(shape: shape, expected: count, actual: values.count)
        }
        let width = MemoryLayout<Storage>.size
        var bytes = [UInt8](repeating: 0, count: count * width)
        bytes.withUnsafeMutableBytes { raw in
            values.withUnsafeBufferPointer { source in
                for i in 0..<source.count {
                    raw.storeBytes(of: bits(source[i]).littleEndian, toByteOffset: i * width, as: Storage.self)
                }
            }
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    private func values<Storage: FixedWidthInteger, Element>(
        _ expected: SafetensorsDType, _ convert: (Storage) -> Element
    ) throws -> [Element] {
        guard dtype == expected else { throw SafetensorsError.dtypeMismatch(expected: expected, actual: dtype) }
        let byteCount = try Self.byteCount(dtype: dtype, shape: shape)
        guard bytes.count == byteCount else {
            throw SafetensorsError.byteCountMismatch(tensor: nil, expected: byteCount, actual: bytes.count)
        }
        let width = MemoryLayout<Storage>.size
        let count = byteCount / width
        return bytes.withUnsafeBytes { raw in
            [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    let stored = raw.loadUnaligned(fromByteOffset: i * width, as: Storage.self)
                    buffer.initializeElement(at: i, to: convert(Storage(littleEndian: stored)))
                }
                initialized = count
            }
        }
    }
}
