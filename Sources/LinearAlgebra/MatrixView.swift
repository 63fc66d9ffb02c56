/// A read-only, row-major view of `rows × columns` floats owned by someone else.
///
/// Views are cheap to make and carry no ownership; they are valid only while the memory they point
/// to is alive (inside a `withView` closure, or while the owning `FloatBuffer` is referenced).
public struct MatrixView {
    /// First element, or nil for an empty matrix.
    public let base: UnsafePointer<Float>?
    /// Number of rows.
    public let rows: Int
    /// Number of columns (also the row stride).
    public let columns: Int

    /// A view over `base`; the caller guarantees `rows * columns` readable floats.
    public init(unchecked base: UnsafePointer<Float>?, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }
}

/// A mutable, row-major view of `rows × columns` floats owned by someone else.
public struct MutableMatrixView {
    /// First element, or nil for an empty matrix.
    public let base: UnsafeMutablePointer<Float>?
    /// Number of rows.
    public let rows: Int
    /// Number of columns (also the row stride).
    public let columns: Int

    /// A view over `base`; the caller guarantees `rows * columns` writable floats.
    public init(unchecked base: UnsafeMutablePointer<Float>?, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    /// The same memory, read-only.
    public var readOnly: MatrixView {
        MatrixView(unchecked: base.map { UnsafePointer($0) }, rows: rows, columns: columns)
    }
}
