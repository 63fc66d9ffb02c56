import LinearAlgebra

/// The integrated-gradients engine behind ``ModelBundle/explain(_:top:policy:steps:)`` and
/// ``ModelBundle/rank(_:economics:customerValues:top:threads:policy:)``: for encoded, scaled rows it
/// computes each ORIGINAL column's contribution in probability units (one-hot features summed).
///
/// Holds its own buffers (not thread-safe): use one per thread.
final class ColumnAttribution {
    /// The original columns, in pipeline order.
    let columns: [String]
    /// The encoded features of each column.
    let groups: [Range<Int>]
    /// Encoded width.
    let width: Int
    /// Largest chunk of rows per call.
    let chunk: Int
    /// Riemann steps.
    let steps: Int
    private let gradient: InputGradient
    private let weights: FloatBuffer
    private let scaled: FloatBuffer
    private var sums: [Double]

    /// An engine for `network` and `pipeline`, taking up to `chunk` rows per call.
    init(network: DenseNetwork, pipeline: FeaturePipeline, steps: Int, chunk: Int) {
        var groups: [Range<Int>] = []
        var offset = 0
        for encoder in pipeline.encoders {
            groups.append(offset..<(offset + encoder.outputWidth))
            offset += encoder.outputWidth
        }
        self.columns = pipeline.encoders.map(\.column)
        self.groups = groups
        self.width = offset
        self.chunk = max(1, chunk)
        self.steps = max(1, steps)
        gradient = InputGradient(layout: network.layout, maxBatch: self.chunk)
        weights = FloatBuffer(network.parameters)
        scaled = FloatBuffer(count: self.chunk * max(1, offset))
        sums = [Double](repeating: 0, count: self.chunk * max(1, offset))
    }

    /// Writes `contributions[row · columns.count + column]` for the `count` (≤ `chunk`) rows at `rows`
    /// (row-major, `width` floats each). Row `x` gets `x_j · mean over t of ∂p/∂x_j(t·x)` per feature,
    /// `t` at the midpoints of `steps` equal intervals of [0, 1], summed per column.
    func attribute(_ rows: UnsafePointer<Float>, count: Int, into contributions: UnsafeMutablePointer<Double>) throws {
        let count = min(count, chunk)
        let values = count * width
        try sums.withUnsafeMutableBufferPointer { sums in
            for index in 0..<values { sums[index] = 0 }
            for step in 0..<steps {
                let t = (Float(step) + 0.5) / Float(steps)
                for index in 0..<values { scaled.pointer[index] = t * rows[index] }
                _ = try gradient.run(
                    MatrixView(unchecked: scaled.pointer, rows: count, columns: width), parameters: weights.pointer)
                for index in 0..<values { sums[index] += Double(gradient.gradients.pointer[index]) }
            }
            let columnCount = groups.count
            let divisor = Double(steps)
            for row in 0..<count {
                for (column, group) in groups.enumerated() {
                    var total = 0.0
                    for feature in group {
                        total += sums[row * width + feature] / divisor * Double(rows[row * width + feature])
                    }
                    contributions[row * columnCount + column] = total
                }
            }
        }
    }
}
