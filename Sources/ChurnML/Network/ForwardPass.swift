import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Preallocated buffers for running a `DenseNetwork` forward over batches of up to `maxBatch`
/// rows, keeping each layer's activations for backpropagation.
///
/// Each layer's product is written straight into its activation buffer and the bias and
/// activation are applied in place, so the forward pass allocates nothing and touches each value
/// once. ReLU's derivative is recovered from the stored activation (`a > 0` exactly when `z > 0`).
final class ForwardPass: @unchecked Sendable {
    /// The network's parameter layout.
    let layout: ParameterLayout
    /// The largest batch the buffers can hold.
    let maxBatch: Int
    /// Activations per weight layer, `maxBatch × layerSizes[l + 1]` (ReLU for hidden layers, sigmoid for the output).
    let activations: [FloatBuffer]
    /// Base pointers of `activations`, so the hot loop does no reference counting.
    let activationPointers: [UnsafeMutablePointer<Float>]
    /// Rows in the batch most recently run.
    private(set) var batchRows = 0

    /// Buffers for `layout` and batches of at most `maxBatch` rows.
    init(layout: ParameterLayout, maxBatch: Int) {
        self.layout = layout
        self.maxBatch = max(1, maxBatch)
        activations = (1..<layout.layerSizes.count).map { FloatBuffer(count: max(1, maxBatch) * layout.layerSizes[$0]) }
        activationPointers = activations.map(\.pointer)
    }

    /// Runs the network on `input` (at most `maxBatch` rows) with the given flat parameters.
    func forward(_ input: MatrixView, parameters: UnsafeMutablePointer<Float>) throws {
        guard input.rows <= maxBatch else {
            throw LinearAlgebraError.shapeMismatch("batch of \(input.rows) rows exceeds the workspace's \(maxBatch)")
        }
        let rows = input.rows
        batchRows = rows
        var layerInput = input
        let lastLayer = layout.layerCount - 1
        for layer in 0...lastLayer {
            let fanIn = layout.layerSizes[layer]
            let fanOut = layout.layerSizes[layer + 1]
            let weights = MatrixView(unchecked: parameters + layout.weightOffsets[layer], rows: fanIn, columns: fanOut)
            let a = activationPointers[layer]
            // a = bias (broadcast) + input · W, then the activation in place. Accumulating onto the
            // bias with beta = 1 spares OpenBLAS its separate pass that clears C for beta = 0.
            VectorKernels.broadcastRows(parameters + layout.biasOffsets[layer], into: a, rows: rows, columns: fanOut)
            try BLAS.gemm(
                layerInput, weights, into: MutableMatrixView(unchecked: a, rows: rows, columns: fanOut), beta: 1)
            if layer == lastLayer {
                for index in 0..<(rows * fanOut) { a[index] = Self.sigmoid(a[index]) }
            } else {
                VectorKernels.relu(a, count: rows * fanOut)
            }
            layerInput = MatrixView(unchecked: a, rows: rows, columns: fanOut)
        }
    }

    /// The output probabilities of the last batch (valid until the next `forward`).
    func output(rows: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: activations[layout.layerCount - 1].pointer, count: min(rows, batchRows))
    }

    /// The logistic function, computed so that it never overflows.
    @inline(__always)
    static func sigmoid(_ z: Float) -> Float {
        if z >= 0 {
            return 1 / (1 + expf(-z))
        }
        let e = expf(z)
        return e / (1 + e)
    }
}
