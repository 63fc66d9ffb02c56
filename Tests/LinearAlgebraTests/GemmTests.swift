import Testing

@testable import LinearAlgebra

/// Naive triple loop: C = op(A)·op(B), used as the independent reference.
private func naiveProduct(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> [[Double]] {
    let m = ta ? a.columns : a.rows
    let k = ta ? a.rows : a.columns
    let n = tb ? b.rows : b.columns
    var result = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k {
                let av = ta ? a[p, i] : a[i, p]
                let bv = tb ? b[j, p] : b[p, j]
                sum += Double(av) * Double(bv)
            }
            result[i][j] = sum
        }
    }
    return result
}

private func randomMatrix(_ rows: Int, _ columns: Int, seed: inout UInt64) throws -> Matrix {
    var values: [Float] = []
    for _ in 0..<(rows * columns) {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        values.append(Float(Int(seed >> 40) % 2001 - 1000) / 250)
    }
    return try Matrix(rows: rows, columns: columns, values: values)
}

@Suite("cblas_sgemm wrapper")
struct GemmTests {
    @Test("2x3 · 3x2 worked by hand")
    func handWorked() throws {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        let a = try Matrix([[1, 2, 3], [4, 5, 6]])
        let b = try Matrix([[7, 8], [9, 10], [11, 12]])
        let c = try BLAS.product(a, b)
        #expect(c == (try Matrix([[58, 64], [139, 154]])))
    }

    @Test(
        "every transpose combination matches a naive loop",
        arguments: [
            (false, false), (true, false), (false, true), (true, true),
        ])
    func transposes(ta: Bool, tb: Bool) throws {
        var seed: UInt64 = 42
        for (m, k, n) in [(1, 1, 1), (5, 3, 4), (32, 12, 6), (7, 64, 33)] {
            let a = try ta ? randomMatrix(k, m, seed: &seed) : randomMatrix(m, k, seed: &seed)
            let b = try tb ? randomMatrix(n, k, seed: &seed) : randomMatrix(k, n, seed: &seed)
            let c = try BLAS.product(a, b, transposeA: ta ? .transposed : .none, transposeB: tb ? .transposed : .none)
            let expected = naiveProduct(a, ta, b, tb)
            #expect(c.rows == m && c.columns == n)
            for i in 0..<m {
                for j in 0..<n {
                    #expect(abs(Double(c[i, j]) - expected[i][j]) <= 1e-4 * max(1, abs(expected[i][j])))
                }
            }
        }
    }

    @Test("alpha and beta accumulate into C")
    func alphaBeta() throws {
        let a = try Matrix([[1, 2], [3, 4]])
        let identity = try Matrix([[1, 0], [0, 1]])
        var c = try Matrix([[10, 20], [30, 40]])
        try BLAS.gemm(a, identity, into: &c, alpha: 2, beta: 0.5)
        // 2·A + 0.5·C = [2+5, 4+10; 6+15, 8+20]
        #expect(c == (try Matrix([[7, 14], [21, 28]])))
    }

    @Test("shape mismatches throw instead of reaching BLAS")
    func shapeMismatch() throws {
        let a = try Matrix(rows: 2, columns: 3)
        let b = try Matrix(rows: 2, columns: 3)
        #expect(throws: LinearAlgebraError.self) { try BLAS.product(a, b) }
        var wrongOutput = try Matrix(rows: 3, columns: 3)
        #expect(throws: LinearAlgebraError.self) { try BLAS.gemm(a, b, into: &wrongOutput, transposeB: .transposed) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, values: [1, 2, 3]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 2], [3]]) }
    }

    @Test("empty inner dimension gives beta·C")
    func emptyInner() throws {
        let a = try Matrix(rows: 2, columns: 0)
        let b = try Matrix(rows: 0, columns: 2)
        var c = try Matrix(rows: 2, columns: 2, repeating: 3)
        try BLAS.gemm(a, b, into: &c, beta: 2)
        #expect(c.storage == [6, 6, 6, 6])
    }

    @Test("buffer views refuse to overrun their buffer")
    func bufferViews() throws {
        let buffer = FloatBuffer(count: 6)
        #expect(throws: LinearAlgebraError.self) { try buffer.view(offset: 1, rows: 2, columns: 3) }
        let view = try buffer.view(offset: 0, rows: 2, columns: 3)
        #expect(view.rows == 2 && view.columns == 3)
        try buffer.assign([1, 2, 3, 4, 5, 6])
        #expect(buffer.array == [1, 2, 3, 4, 5, 6])
    }
}

@Suite("Vector kernels")
struct VectorKernelTests {
    /// Deterministic test values with both signs, including exact zeros.
    private func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7919 + seed * 104729) % 23 - 11) / 4 }
    }

    @Test("ReLU mask keeps values only where the activation is positive", arguments: [1, 7, 8, 9, 17, 64])
    func reluMask(count: Int) {
        var data = values(count, seed: 1)
        let activations = values(count, seed: 2)
        let expected = zip(data, activations).map { $1 > 0 ? $0 : 0 }
        data.withUnsafeMutableBufferPointer { buffer in
            activations.withUnsafeBufferPointer {
                VectorKernels.reluMask(buffer.baseAddress!, activations: $0.baseAddress!, count: count)
            }
        }
        #expect(data == expected)
    }

    @Test("column sums match a naive loop", arguments: [(1, 1), (5, 6), (32, 6), (33, 8), (256, 64), (7, 19)])
    func columnSums(rows: Int, columns: Int) {
        let matrix = values(rows * columns, seed: 3)
        var sums = [Float](repeating: -1, count: columns)
        matrix.withUnsafeBufferPointer { m in
            sums.withUnsafeMutableBufferPointer {
                VectorKernels.columnSums(m.baseAddress!, rows: rows, columns: columns, into: $0.baseAddress!)
            }
        }
        for column in 0..<columns {
            var naive = 0.0
            for row in 0..<rows { naive += Double(matrix[row * columns + column]) }
            #expect(abs(Double(sums[column]) - naive) < 1e-3)
        }
    }

    @Test("bias broadcast then ReLU match a naive loop", arguments: [(3, 6), (4, 8), (2, 21)])
    func broadcastAndReLU(rows: Int, columns: Int) {
        let bias = values(columns, seed: 5)
        var matrix = [Float](repeating: 9, count: rows * columns)
        matrix.withUnsafeMutableBufferPointer { m in
            bias.withUnsafeBufferPointer {
                VectorKernels.broadcastRows($0.baseAddress!, into: m.baseAddress!, rows: rows, columns: columns)
            }
        }
        #expect(matrix == (0..<(rows * columns)).map { bias[$0 % columns] })
        var mixed = values(rows * columns, seed: 6)
        let expected = mixed.map { max(0, $0) }
        mixed.withUnsafeMutableBufferPointer { VectorKernels.relu($0.baseAddress!, count: rows * columns) }
        #expect(mixed == expected)
    }
}
