/// Where each layer's weights and biases live inside one flat parameter vector.
///
/// Layer `l` maps `layerSizes[l]` inputs to `layerSizes[l + 1]` outputs. Its weight matrix is
/// stored row-major as `inputs × outputs` at `weightOffsets[l]`, followed by its `outputs` biases at
/// `biasOffsets[l]`. Keeping every parameter in one vector lets the optimiser update the whole
/// network in a single tight loop.
public struct ParameterLayout: Sendable, Equatable {
    /// Units per layer, starting with the input width and ending with the output width.
    public let layerSizes: [Int]
    /// Offset of each layer's weight matrix.
    public let weightOffsets: [Int]
    /// Offset of each layer's bias vector.
    public let biasOffsets: [Int]
    /// Total number of parameters.
    public let count: Int

    /// Computes the layout for `layerSizes` (at least an input and an output size, all positive).
    public init(layerSizes: [Int]) throws {
        guard layerSizes.count >= 2, layerSizes.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }) else {
            throw NetworkError.invalidTopology("layer sizes must be at least two positive numbers, got \(layerSizes)")
        }
        var weights: [Int] = []
        var biases: [Int] = []
        var offset = 0
        for layer in 0..<(layerSizes.count - 1) {
            weights.append(offset)
            offset += layerSizes[layer] * layerSizes[layer + 1]
            biases.append(offset)
            offset += layerSizes[layer + 1]
        }
        self.layerSizes = layerSizes
        self.weightOffsets = weights
        self.biasOffsets = biases
        self.count = offset
    }

    /// Number of weight layers (one less than the number of sizes).
    public var layerCount: Int { layerSizes.count - 1 }
    /// Width of the network's input.
    public var inputWidth: Int { layerSizes[0] }
    /// Width of the widest layer, used to size scratch buffers.
    public var widestLayer: Int { layerSizes.max() ?? 0 }
}
