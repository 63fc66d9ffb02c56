/// A dense, row-major matrix of `Float` with an explicit shape.
///
/// Element `(r, c)` lives at `storage[r * columns + c]`. The storage is a plain Swift array, so a
/// `Matrix` is a value type with copy-on-write semantics.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// Row-major elements; always exactly `rows * columns` long.
    public private(set) var storage: [Float]

    /// A matrix of the given shape with every element equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) throws {
        guard rows >= 0, columns >= 0, !rows.multipliedReportingOverflow(by: columns).overflow else {
            throw LinearAlgebraError.invalidShape(rows: rows, columns: columns, count: 0)
        }
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) throws {
        let product = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !product.overflow, product.partialValue == values.count else {
            throw LinearAlgebraError.invalidShape(rows: rows, columns: columns, count: values.count)
        }
        self.rows = rows
        self.columns = columns
        self.storage = values
    }

    /// Builds a matrix from nested row arrays; all rows must have the same length.
    public init(_ nestedRows: [[Float]]) throws {
        let columns = nestedRows.first?.count ?? 0
        var values: [Float] = []
        values.reserveCapacity(nestedRows.count * columns)
        for row in nestedRows {
            guard row.count == columns else {
                throw LinearAlgebraError.shapeMismatch("ragged rows: expected \(columns) values, found \(row.count)")
            }
            values.append(contentsOf: row)
        }
        try self.init(rows: nestedRows.count, columns: columns, values: values)
    }

    /// Element access; the indices must be in range (they are checked by the array).
    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The values of one row.
    public func row(_ index: Int) -> ArraySlice<Float> {
        storage[(index * columns)..<((index + 1) * columns)]
    }

    /// Read-only access to the elements as a shaped view, valid only inside `body`.
    public func withView<Result>(_ body: (MatrixView) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBufferPointer { buffer in
            try body(MatrixView(unchecked: buffer.baseAddress, rows: rows, columns: columns))
        }
    }

    /// Mutable access to the elements as a shaped view, valid only inside `body`.
    public mutating func withMutableView<Result>(_ body: (MutableMatrixView) throws -> Result) rethrows -> Result {
        let rows = self.rows
        let columns = self.columns
        return try storage.withUnsafeMutableBufferPointer { buffer in
            try body(MutableMatrixView(unchecked: buffer.baseAddress, rows: rows, columns: columns))
        }
    }
}
