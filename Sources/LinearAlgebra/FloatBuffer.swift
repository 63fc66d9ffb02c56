/// A fixed-size, zero-initialised block of floats owned by a class instance.
///
/// Training keeps its activations, gradients and optimiser state in these so that the hot loop
/// never allocates and never pays for copy-on-write checks. The memory lives exactly as long as
/// the buffer object; views into it must not be used after the buffer is released.
public final class FloatBuffer: @unchecked Sendable {
    /// Number of floats.
    public let count: Int
    /// The first float (never nil; a zero-length buffer still owns a one-float allocation).
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` floats set to zero.
    public init(count: Int) {
        self.count = max(0, count)
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    /// Allocates a buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }

    /// The contents as an array (a copy).
    public var array: [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// Overwrites the contents with `values`, which must have exactly `count` elements.
    public func assign(_ values: [Float]) throws {
        guard values.count == count else {
            throw LinearAlgebraError.shapeMismatch("buffer holds \(count) values, got \(values.count)")
        }
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: count) }
        }
    }

    /// Sets every element to zero.
    public func zero() {
        pointer.update(repeating: 0, count: count)
    }

    /// A mutable matrix view of `rows × columns` floats starting at `offset`; throws if it does not fit.
    public func view(offset: Int = 0, rows: Int, columns: Int) throws -> MutableMatrixView {
        let size = rows.multipliedReportingOverflow(by: columns)
        guard offset >= 0, rows >= 0, columns >= 0, !size.overflow, offset + size.partialValue <= count else {
            throw LinearAlgebraError.shapeMismatch(
                "view \(rows)x\(columns) at offset \(offset) does not fit in a buffer of \(count)")
        }
        return MutableMatrixView(unchecked: pointer + offset, rows: rows, columns: columns)
    }
}
