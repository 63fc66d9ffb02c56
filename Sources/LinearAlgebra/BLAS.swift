import COpenBLAS

/// Whether a gemm operand is used as stored or transposed.
public enum Transpose: Sendable {
    /// Use the matrix as stored.
    case none
    /// Use the transpose of the stored matrix.
    case transposed

    var cblas: CBLAS_TRANSPOSE {
        self == .none ? CblasNoTrans : CblasTrans
    }
}

/// The single gateway to OpenBLAS. Every call checks shapes before BLAS sees a pointer.
public enum BLAS {
    /// Sets the number of threads OpenBLAS may use. One is fastest for the small products of
    /// batch training on this kind of machine; wide networks may gain from more.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: max(1, count)))
    }

    /// The number of threads OpenBLAS is currently allowed to use.
    public static var threadCount: Int {
        Int(openblas_get_num_threads())
    }

    /// `C = alpha · op(A) · op(B) + beta · C` through `cblas_sgemm` (row-major).
    ///
    /// Throws `LinearAlgebraError.shapeMismatch` when `op(A)` is not `m × k`, `op(B)` is not
    /// `k × n`, or `C` is not `m × n`. Empty products are legal and leave `C` scaled by `beta`.
    @inlinable
    public static func gemm(
        _ a: MatrixView, _ b: MatrixView, into c: MutableMatrixView,
        transposeA: Transpose = .none, transposeB: Transpose = .none,
        alpha: Float = 1, beta: Float = 0
    ) throws {
        let m = transposeA == .none ? a.rows : a.columns
        let k = transposeA == .none ? a.columns : a.rows
        let kB = transposeB == .none ? b.rows : b.columns
        let n = transposeB == .none ? b.columns : b.rows
        guard k == kB, c.rows == m, c.columns == n else {
            throw LinearAlgebraError.shapeMismatch(
                "op(A) is \(m)x\(k), op(B) is \(kB)x\(n), C is \(c.rows)x\(c.columns)")
        }
        uncheckedGemm(a, transposeA, b, transposeB, into: c, m: m, n: n, k: k, alpha: alpha, beta: beta)
    }

    /// The BLAS call itself, after `gemm` has validated the shapes.
    @usableFromInline
    static func uncheckedGemm(
        _ a: MatrixView, _ transposeA: Transpose,
        _ b: MatrixView, _ transposeB: Transpose,
        into c: MutableMatrixView, m: Int, n: Int, k: Int, alpha: Float, beta: Float
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0, let aBase = a.base, let bBase = b.base else {
            // A product over an empty inner dimension is zero: C = beta · C.
            if let cBase = c.base {
                for index in 0..<(m * n) { cBase[index] = beta == 0 ? 0 : beta * cBase[index] }
            }
            return
        }
        guard let cBase = c.base else { return }
        cblas_sgemm(
            CblasRowMajor, transposeA.cblas, transposeB.cblas,
            Int32(m), Int32(n), Int32(k),
            alpha, aBase, Int32(max(1, a.columns)),
            bBase, Int32(max(1, b.columns)),
            beta, cBase, Int32(max(1, c.columns)))
    }

    /// `C = alpha · op(A) · op(B) + beta · C` on value-type matrices.
    public static func gemm(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix,
        transposeA: Transpose = .none, transposeB: Transpose = .none,
        alpha: Float = 1, beta: Float = 0
    ) throws {
        try a.withView { aView in
            try b.withView { bView in
                try c.withMutableView { cView in
                    try gemm(
                        aView, bView, into: cView, transposeA: transposeA, transposeB: transposeB, alpha: alpha,
                        beta: beta)
                }
            }
        }
    }

    /// The product `op(A) · op(B)` as a new matrix.
    public static func product(
        _ a: Matrix, _ b: Matrix, transposeA: Transpose = .none, transposeB: Transpose = .none
    ) throws -> Matrix {
        let m = transposeA == .none ? a.rows : a.columns
        let n = transposeB == .none ? b.columns : b.rows
        var c = try Matrix(rows: m, columns: n)
        try gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB)
        return c
    }
}
