import LinearAlgebra

/// A fully connected feed-forward network for binary classification: ReLU hidden layers and one
/// sigmoid output unit, with every matrix product computed by `cblas_sgemm`.
public struct DenseNetwork: Sendable, Equatable {
    /// Where each layer's parameters live in `parameters`.
    public let layout: ParameterLayout
    /// All weights and biases, laid out as `layout` says.
    public var parameters: [Float]

    /// Units per layer, input first, output (1) last.
    public var layerSizes: [Int] { layout.layerSizes }

    /// A network with the given parameters; their count must match the layout.
    public init(layerSizes: [Int], parameters: [Float]) throws {
        let layout = try ParameterLayout(layerSizes: layerSizes)
        guard layerSizes.last == 1 else {
            throw NetworkError.invalidTopology("the output layer must have exactly one unit, got \(layerSizes)")
        }
        guard parameters.count == layout.count else {
            throw NetworkError.parameterCountMismatch(expected: layout.count, found: parameters.count)
        }
        self.layout = layout
        self.parameters = parameters
    }

    /// A network with Glorot-uniform weights (limit `sqrt(6 / (fanIn + fanOut))`) and zero biases,
    /// drawn from `generator` layer by layer, row-major.
    public static func glorotUniform(layerSizes: [Int], generator: inout SeededGenerator) throws -> DenseNetwork {
        let layout = try ParameterLayout(layerSizes: layerSizes)
        var parameters = [Float](repeating: 0, count: layout.count)
        for layer in 0..<layout.layerCount {
            let fanIn = layerSizes[layer]
            let fanOut = layerSizes[layer + 1]
            let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
            let offset = layout.weightOffsets[layer]
            for index in 0..<(fanIn * fanOut) {
                parameters[offset + index] = (generator.nextUnitFloat() * 2 - 1) * limit
            }
        }
        return try DenseNetwork(layerSizes: layerSizes, parameters: parameters)
    }

    /// Churn probabilities for every row of `features` (one row per customer, `layerSizes[0]` columns).
    public func predictProbabilities(_ features: Matrix) throws -> [Float] {
        guard features.columns == layout.inputWidth else {
            throw NetworkError.inputWidthMismatch(expected: layout.inputWidth, found: features.columns)
        }
        guard features.rows > 0 else { return [] }
        let evaluator = NetworkEvaluator(network: self, maxChunkRows: min(features.rows, NetworkEvaluator.chunkRows))
        var output = [Float](repeating: 0, count: features.rows)
        try features.withView { all in
            guard let base = all.base else { return }
            try output.withUnsafeMutableBufferPointer { buffer in
                guard let destination = buffer.baseAddress else { return }
                try evaluator.probabilities(base, rows: features.rows, into: destination)
            }
        }
        return output
    }
}
