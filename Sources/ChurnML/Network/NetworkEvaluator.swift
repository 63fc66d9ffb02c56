import LinearAlgebra

/// Reusable workspace for scoring encoded rows with a ``DenseNetwork``: the forward pass's
/// activation buffers and a private copy of the weights, allocated once, so that
/// ``probabilities(_:rows:into:)`` allocates nothing. Rows are run in chunks of at most
/// ``chunkRows`` exactly as ``DenseNetwork/predictProbabilities(_:)`` runs them (it uses an
/// evaluator itself), so both give bit-identical results.
///
/// Not safe for concurrent use: give each thread (or each request in flight) its own evaluator.
public final class NetworkEvaluator: @unchecked Sendable {
    /// Rows per forward pass.
    public static let chunkRows = 4096

    /// Width of an input row.
    public let inputWidth: Int
    /// Largest chunk this evaluator runs at once (≤ ``chunkRows``).
    public let maxChunkRows: Int
    private let pass: ForwardPass
    private let weights: FloatBuffer

    /// An evaluator for `network`, with buffers for chunks of up to `maxChunkRows` rows.
    public init(network: DenseNetwork, maxChunkRows: Int = NetworkEvaluator.chunkRows) {
        inputWidth = network.layout.inputWidth
        self.maxChunkRows = max(1, min(maxChunkRows, Self.chunkRows))
        pass = ForwardPass(layout: network.layout, maxBatch: self.maxChunkRows)
        weights = FloatBuffer(network.parameters)
    }

    /// Writes the churn probability of each of `rows` rows (row-major, ``inputWidth`` floats each,
    /// starting at `features`) to `output[0..<rows]`.
    public func probabilities(_ features: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>)
        throws
    {
        var start = 0
        while start < rows {
            let count = min(maxChunkRows, rows - start)
            let input = MatrixView(unchecked: features + start * inputWidth, rows: count, columns: inputWidth)
            try pass.forward(input, parameters: weights.pointer)
            let probabilities = pass.output(rows: count)
            for row in 0..<count { output[start + row] = probabilities[row] }
            start += count
        }
    }
}
