/// Small element-wise kernels used around the matrix products in training, written to be
/// branch-free and to vectorise (8 floats at a time), because a data-dependent branch per element
/// costs more than the arithmetic (ReLU masks are close to random).
public enum VectorKernels {
    /// `values[i] = activations[i] > 0 ? values[i] : 0` for `i < count` — backpropagation through ReLU.
    @inlinable
    public static func reluMask(_ values: UnsafeMutablePointer<Float>, activations: UnsafePointer<Float>, count: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            let a = UnsafeRawPointer(activations + index).loadUnaligned(as: SIMD8<Float>.self)
            var v = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            v.replace(with: zero, where: a .<= zero)
            UnsafeMutableRawPointer(values + index).storeBytes(of: v, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            let keep: UInt32 = activations[index] > 0 ? ~0 : 0
            values[index] = Float(bitPattern: values[index].bitPattern & keep)
            index += 1
        }
    }

    /// `sums[c] = Σ_r matrix[r · columns + c]` — the column sums of a row-major `rows × columns`
    /// matrix. Eight columns at a time with two vector accumulators for wide matrices; four scalar
    /// accumulators per column for the rest, to break the addition latency chain.
    @inlinable
    public static func columnSums(
        _ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>
    ) {
        var column = 0
        while column + 8 <= columns {
            var even = SIMD8<Float>(repeating: 0)
            var odd = SIMD8<Float>(repeating: 0)
            var row = 0
            while row + 2 <= rows {
                even += UnsafeRawPointer(matrix + row * columns + column).loadUnaligned(as: SIMD8<Float>.self)
                odd += UnsafeRawPointer(matrix + (row + 1) * columns + column).loadUnaligned(as: SIMD8<Float>.self)
                row += 2
            }
            if row < rows {
                even += UnsafeRawPointer(matrix + row * columns + column).loadUnaligned(as: SIMD8<Float>.self)
            }
            UnsafeMutableRawPointer(sums + column).storeBytes(of: even + odd, as: SIMD8<Float>.self)
            column += 8
        }
        while column < columns {
            var s0: Float = 0
            var s1: Float = 0
            var s2: Float = 0
            var s3: Float = 0
            var row = 0
            while row + 4 <= rows {
                s0 += matrix[row * columns + column]
                s1 += matrix[(row + 1) * columns + column]
                s2 += matrix[(row + 2) * columns + column]
                s3 += matrix[(row + 3) * columns + column]
                row += 4
            }
            while row < rows {
                s0 += matrix[row * columns + column]
                row += 1
            }
            sums[column] = (s0 + s1) + (s2 + s3)
            column += 1
        }
    }

    /// `matrix[r, c] = bias[c]` for every row of a row-major `rows × columns` matrix — the bias
    /// broadcast that a product with `beta = 1` then accumulates onto.
    @inlinable
    public static func broadcastRows(
        _ bias: UnsafePointer<Float>, into matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int
    ) {
        for row in 0..<rows {
            (matrix + row * columns).update(from: bias, count: columns)
        }
    }

    /// `values[i] = max(0, values[i])` for `i < count`.
    @inlinable
    public static func relu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let zero = SIMD8<Float>(repeating: 0)
        var index = 0
        while index + 8 <= count {
            var v = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
            v.replace(with: zero, where: v .< zero)
            UnsafeMutableRawPointer(values + index).storeBytes(of: v, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            values[index] = max(0, values[index])
            index += 1
        }
    }
}
