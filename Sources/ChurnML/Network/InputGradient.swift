import LinearAlgebra

/// Computes, for every row of a batch, the network's output probability and its gradient with
/// respect to the (encoded, scaled) inputs: `∂p/∂x = p(1−p) · ∂z/∂x`, by one forward and one
/// backward pass through `cblas_sgemm`.
final class InputGradient: @unchecked Sendable {
    private let pass: ForwardPass
    private let deltas: [FloatBuffer]
    /// `maxBatch × inputWidth` gradients of the last batch.
    let gradients: FloatBuffer

    /// Buffers for `layout` and batches of at most `maxBatch` rows.
    init(layout: ParameterLayout, maxBatch: Int) {
        pass = ForwardPass(layout: layout, maxBatch: maxBatch)
        deltas = (1..<layout.layerSizes.count).map { FloatBuffer(count: max(1, maxBatch) * layout.layerSizes[$0]) }
        gradients = FloatBuffer(count: max(1, maxBatch) * layout.inputWidth)
    }

    /// Runs `input` and fills `gradients`; returns the probabilities (valid until the next call).
    func run(_ input: MatrixView, parameters: UnsafeMutablePointer<Float>) throws -> UnsafeBufferPointer<Float> {
        let layout = pass.layout
        try pass.forward(input, parameters: parameters)
        let rows = input.rows
        let last = layout.layerCount - 1
        let probabilities = pass.activationPointers[last]
        for row in 0..<rows {
            let p = probabilities[row]
            deltas[last].pointer[row] = p * (1 - p)
        }
        for layer in stride(from: last, through: 0, by: -1) {
            let fanIn = layout.layerSizes[layer]
            let fanOut = layout.layerSizes[layer + 1]
            let delta = MatrixView(unchecked: deltas[layer].pointer, rows: rows, columns: fanOut)
            let weights = MatrixView(unchecked: parameters + layout.weightOffsets[layer], rows: fanIn, columns: fanOut)
            let target = layer == 0 ? gradients.pointer : deltas[layer - 1].pointer
            try BLAS.gemm(
                delta, weights, into: MutableMatrixView(unchecked: target, rows: rows, columns: fanIn),
                transposeB: .transposed)
            if layer > 0 {
                VectorKernels.reluMask(target, activations: pass.activationPointers[layer - 1], count: rows * fanIn)
            }
        }
        return pass.output(rows: rows)
    }
}
