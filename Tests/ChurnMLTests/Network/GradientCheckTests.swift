import Foundation
import LinearAlgebra
import Testing

@testable import ChurnML

/// An independent, naive Double-precision forward pass and loss used only by the tests:
/// relu hidden layers, sigmoid output, mean weighted binary cross-entropy (unclipped).
private func naiveLoss(layerSizes: [Int], parameters: [Double], inputs: [[Double]], labels: [Double], weights: [Double])
    -> Double
{
    var total = 0.0
    for (rowIndex, row) in inputs.enumerated() {
        var activation = row
        var offset = 0
        for layer in 0..<(layerSizes.count - 1) {
            let fanIn = layerSizes[layer]
            let fanOut = layerSizes[layer + 1]
            var next = [Double](repeating: 0, count: fanOut)
            for j in 0..<fanOut {
                var sum = 0.0
                for i in 0..<fanIn { sum += activation[i] * parameters[offset + i * fanOut + j] }
                next[j] = sum + parameters[offset + fanIn * fanOut + j]
            }
            offset += fanIn * fanOut + fanOut
            let isOutput = layer == layerSizes.count - 2
            activation = next.map { isOutput ? 1 / (1 + exp(-$0)) : max(0, $0) }
        }
        let p = activation[0]
        let y = labels[rowIndex]
        total += -weights[rowIndex] * (y * log(p) + (1 - y) * log(1 - p))
    }
    return total / Double(inputs.count)
}

@Suite("Network gradients")
struct GradientCheckTests {
    @Test(
        "backpropagation matches central finite differences of a naive Double forward pass",
        arguments: [false, true])
    func gradientCheck(weighted: Bool) throws {
        let layerSizes = [4, 5, 3, 1]
        var generator = SeededGenerator(seed: 7)
        let network = try DenseNetwork.glorotUniform(layerSizes: layerSizes, generator: &generator)
        var parameters = network.parameters
        // Non-zero biases so that no pre-activation sits exactly on the ReLU kink.
        for layer in 0..<network.layout.layerCount {
            for unit in 0..<layerSizes[layer + 1] {
                parameters[network.layout.biasOffsets[layer] + unit] = generator.nextUnitFloat() * 0.4 - 0.2
            }
        }
        let rows = 6
        var inputs: [[Double]] = []
        for _ in 0..<rows { inputs.append((0..<4).map { _ in Double(generator.nextUnitFloat() * 4 - 2) }) }
        let labels: [Double] = [1, 0, 0, 1, 1, 0]
        let weights: [Double] = weighted ? [2, 0.5, 1, 3, 1, 0.25] : [1, 1, 1, 1, 1, 1]

        let computer = GradientComputer(layout: network.layout, maxBatch: rows)
        let parameterBuffer = FloatBuffer(parameters)
        let flatInputs = inputs.flatMap { $0.map(Float.init) }
        let floatLabels = labels.map(Float.init)
        let floatWeights = weights.map(Float.init)
        let loss = try flatInputs.withUnsafeBufferPointer { inputBuffer in
            try floatLabels.withUnsafeBufferPointer { labelBuffer in
                try floatWeights.withUnsafeBufferPointer { weightBuffer in
                    try computer.lossAndGradient(
                        input: MatrixView(unchecked: inputBuffer.baseAddress, rows: rows, columns: 4),
                        labels: labelBuffer.baseAddress!, sampleWeights: weightBuffer.baseAddress,
                        parameters: parameterBuffer.pointer)
                }
            }
        }
        let analytic = computer.gradient.array
        let doubleParameters = parameters.map(Double.init)
        let referenceLoss = naiveLoss(
            layerSizes: layerSizes, parameters: doubleParameters, inputs: inputs, labels: labels, weights: weights)
        #expect(abs(loss - referenceLoss) < 1e-5 * max(1, referenceLoss))

        let step = 1e-6
        for index in 0..<doubleParameters.count {
            var plus = doubleParameters
            var minus = doubleParameters
            plus[index] += step
            minus[index] -= step
            let numeric =
                (naiveLoss(layerSizes: layerSizes, parameters: plus, inputs: inputs, labels: labels, weights: weights)
                    - naiveLoss(
                        layerSizes: layerSizes, parameters: minus, inputs: inputs, labels: labels, weights: weights))
                / (2 * step)
            let difference = abs(numeric - Double(analytic[index]))
            #expect(
                difference <= 1e-4 + 1e-3 * abs(numeric),
                "parameter \(index): numeric \(numeric) analytic \(analytic[index])")
        }
    }

    @Test("Adam's first step moves each parameter by the learning rate against the gradient's sign")
    func adamFirstStep() {
        // With m0 = v0 = 0: m1 = 0.1 g, v1 = 0.001 g², corrected step = lr · m̂ / (√v̂ + ε) ≈ lr · sign(g).
        var configuration = AdamConfiguration()
        configuration.learningRate = 0.01
        let optimizer = AdamOptimizer(configuration: configuration, parameterCount: 3)
        let parameters = FloatBuffer([1, 1, 1])
        let gradients = FloatBuffer([0.5, -2, 0])
        optimizer.update(parameters: parameters.pointer, gradients: gradients.pointer, count: 3)
        let updated = parameters.array
        #expect(abs(updated[0] - 0.99) < 1e-5)
        #expect(abs(updated[1] - 1.01) < 1e-5)
        #expect(updated[2] == 1)
    }

    @Test("the forward pass matches the naive Double reference")
    func forwardMatchesReference() throws {
        var generator = SeededGenerator(seed: 3)
        let network = try DenseNetwork.glorotUniform(layerSizes: [3, 4, 1], generator: &generator)
        let rows: [[Float]] = [[0.5, -1, 2], [0, 0, 0], [-3, 1.5, 0.25]]
        let probabilities = try network.predictProbabilities(try Matrix(rows))
        for (index, row) in rows.enumerated() {
            // The naive loss of one row with label 1 is −log p, so p = exp(−loss).
            let loss = naiveLoss(
                layerSizes: [3, 4, 1], parameters: network.parameters.map(Double.init),
                inputs: [row.map(Double.init)], labels: [1], weights: [1])
            #expect(abs(Double(probabilities[index]) - exp(-loss)) < 1e-6)
        }
        #expect(throws: NetworkError.self) { try network.predictProbabilities(try Matrix([[1, 2]])) }
    }
}
