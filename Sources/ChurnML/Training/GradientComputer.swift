import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Computes the weighted binary cross-entropy of a batch and its gradient with respect to every
/// parameter by backpropagation, reusing preallocated buffers (no allocation per batch).
///
/// Loss: `L = (1/n) Σᵢ wᵢ · −[yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)]`, with `p` clipped to `[1e-7, 1−1e-7]` in
/// the reported value (Keras's epsilon). Its derivative with respect to the output pre-activation is
/// `wᵢ (pᵢ − yᵢ) / n`, which is what flows backwards.
final class GradientComputer: @unchecked Sendable {
    /// The forward pass whose stored activations the backward pass reads.
    let pass: ForwardPass
    /// ∂L/∂θ for the last batch, laid out like the parameters.
    let gradient: FloatBuffer
    /// ∂L/∂z per weight layer.
    private let deltas: [FloatBuffer]
    /// Base pointers of `deltas`, so the hot loop does no reference counting.
    private let deltaPointers: [UnsafeMutablePointer<Float>]

    /// Buffers for `layout` and batches of at most `maxBatch` rows.
    init(layout: ParameterLayout, maxBatch: Int) {
        pass = ForwardPass(layout: layout, maxBatch: maxBatch)
        gradient = FloatBuffer(count: layout.count)
        deltas = (1..<layout.layerSizes.count).map { FloatBuffer(count: max(1, maxBatch) * layout.layerSizes[$0]) }
        deltaPointers = deltas.map(\.pointer)
    }

    /// Runs forward and backward on one batch, fills `gradient`, and returns the batch's mean loss.
    func lossAndGradient(
        input: MatrixView, labels: UnsafePointer<Float>, sampleWeights: UnsafePointer<Float>?,
        parameters: UnsafeMutablePointer<Float>
    ) throws -> Double {
        let layout = pass.layout
        try pass.forward(input, parameters: parameters)
        let rows = input.rows
        let last = layout.layerCount - 1
        let probabilities = pass.activationPointers[last]
        let outputDelta = deltaPointers[last]
        let gradientBase = gradient.pointer
        let scale = 1 / Float(rows)
        var lossSum: Float = 0
        for row in 0..<rows {
            let p = probabilities[row]
            let y = labels[row]
            let w = sampleWeights?[row] ?? 1
            let clipped = min(max(p, 1e-7), 1 - 1e-7)
            lossSum -= w * (y * logf(clipped) + (1 - y) * logf(1 - clipped))
            outputDelta[row] = w * (p - y) * scale
        }
        for layer in stride(from: last, through: 0, by: -1) {
            let fanIn = layout.layerSizes[layer]
            let fanOut = layout.layerSizes[layer + 1]
            let deltaPointer = deltaPointers[layer]
            let delta = MatrixView(unchecked: deltaPointer, rows: rows, columns: fanOut)
            let layerInput =
                layer == 0
                ? input
                : MatrixView(unchecked: pass.activationPointers[layer - 1], rows: rows, columns: fanIn)
            // ∂L/∂W = inputᵀ · δ
            let weightGradient = MutableMatrixView(
                unchecked: gradientBase + layout.weightOffsets[layer], rows: fanIn, columns: fanOut)
            try BLAS.gemm(layerInput, delta, into: weightGradient, transposeA: .transposed)
            // ∂L/∂b = column sums of δ
            VectorKernels.columnSums(
                deltaPointer, rows: rows, columns: fanOut, into: gradientBase + layout.biasOffsets[layer])
            guard layer > 0 else { break }
            // δ of the layer below = (δ · Wᵀ) ⊙ relu'(z), where relu'(z) = 1 exactly when a > 0.
            let weights = MatrixView(unchecked: parameters + layout.weightOffsets[layer], rows: fanIn, columns: fanOut)
            let belowPointer = deltaPointers[layer - 1]
            try BLAS.gemm(
                delta, weights, into: MutableMatrixView(unchecked: belowPointer, rows: rows, columns: fanIn),
                transposeB: .transposed)
            VectorKernels.reluMask(belowPointer, activations: pass.activationPointers[layer - 1], count: rows * fanIn)
        }
        return Double(lossSum) / Double(rows)
    }
}
