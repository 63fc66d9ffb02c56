import LinearAlgebra

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Preallocated buffers for running a `DenseNetwork` forward over batches of up to `maxBatch`
/// rows, keeping each layer's pre-activations (`z`) and activations (`a`) for backpropagation.
///
/// One instance is reused for every batch, so the forward pass allocates nothing.
final class ForwardPass: @unchecked Sendable {
    /// The network's parameter layout.
    let layout: ParameterLayout
    /// The largest batch the buffers can hold.
    let maxBatch: Int
    /// Pre-activations per weight layer, `maxBatch × layerSizes[l + 1]`.
    let preActivations: [FloatBuffer]
    /// Activations per weight layer (ReLU for hidden layers, sigmoid for the output).
    let activations: [FloatBuffer]
    /// Rows in the batch most recently run.
    private(set) var batchRows = 0

    /// Buffers for `layout` and batches of at most `maxBatch` rows.
    init(layout: ParameterLayout, maxBatch: Int) {
        self.layout = layout
        self.maxBatch = max(1, maxBatch)
        preActivations = (1..<layout.layerSizes.count).map { FloatBuffer(count: max(1, maxBatch) * layout.layerSizes[$0]) }
        activations = (1..<layout.layerSizes.count).map { FloatBuffer(count: max(1, maxBatch) * layout.layerSizes[$0]) }
    }

    /// Runs the network on `input` (at most `maxBatch` rows) with the given flat parameters.
    func forward(_ input: MatrixView, parameters: UnsafeMutablePointer<Float>) throws {
        guard input.rows <= maxBatch else {
            throw LinearAlgebraError.shapeMismatch("batch of \(input.rows) rows exceeds the workspace's \(maxBatch)")
        }
        let rows = input.rows
        batchRows = rows
        var layerInput = input
        for layer in 0..<layout.layerCount {
            let fanIn = layout.layerSizes[layer]
            let fanOut = layout.layerSizes[layer + 1]
            let weights = MatrixView(unchecked: parameters + layout.weightOffsets[layer], rows: fanIn, columns: fanOut)
            let z = MutableMatrixView(unchecked: preActivations[layer].pointer, rows: rows, columns: fanOut)
            try BLAS.gemm(layerInput, weights, into: z)
            let bias = parameters + layout.biasOffsets[layer]
            let zPointer = preActivations[layer].pointer
            let aPointer = activations[layer].pointer
            let isOutput = layer == layout.layerCount - 1
            for row in 0..<rows {
                let base = row * fanOut
                for unit in 0..<fanOut {
                    let value = zPointer[base + unit] + bias[unit]
                    zPointer[base + unit] = value
                    aPointer[base + unit] = isOutput ? Self.sigmoid(value) : max(0, value)
                }
            }
            layerInput = MatrixView(unchecked: aPointer, rows: rows, columns: fanOut)
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
