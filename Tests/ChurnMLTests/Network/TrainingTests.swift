import LinearAlgebra
import Testing

@testable import ChurnML

/// A linearly separable-ish toy problem: label = 1 when x0 + x1 > 0.
private func toyProblem(rows: Int, seed: UInt64) throws -> LabeledMatrix {
    var generator = SeededGenerator(seed: seed)
    var values: [Float] = []
    var labels: [Float] = []
    for _ in 0..<rows {
        let x0 = generator.nextUnitFloat() * 2 - 1
        let x1 = generator.nextUnitFloat() * 2 - 1
        values += [x0, x1]
        labels.append(x0 + x1 > 0 ? 1 : 0)
    }
    return try LabeledMatrix(features: try Matrix(rows: rows, columns: 2, values: values), labels: labels)
}

@Suite("Training loop")
struct TrainingTests {
    @Test("training learns a separable problem and lowers the loss")
    func learns() throws {
        let data = try toyProblem(rows: 512, seed: 1)
        var configuration = TrainingConfiguration()
        configuration.hiddenLayers = [8]
        configuration.epochs = 60
        configuration.adam.learningRate = 0.01
        var generator = SeededGenerator(seed: 5)
        let network = try DenseNetwork.glorotUniform(layerSizes: [2, 8, 1], generator: &generator)
        let run = try NetworkTrainer.train(
            network, on: data, validation: nil, configuration: configuration, generator: &generator)
        #expect(run.epochsRun == 60)
        #expect(run.history.last!.loss < run.history.first!.loss * 0.5)
        let probabilities = try run.network.predictProbabilities(data.features)
        #expect(NetworkTrainer.accuracy(labels: data.labels, probabilities: probabilities, threshold: 0.5) > 0.95)
    }

    @Test("same seed gives bit-identical weights; another seed does not")
    func deterministic() throws {
        let data = try toyProblem(rows: 300, seed: 2)
        var configuration = TrainingConfiguration()
        configuration.epochs = 5
        func run(seed: UInt64) throws -> [Float] {
            var generator = SeededGenerator(seed: seed)
            let network = try DenseNetwork.glorotUniform(layerSizes: [2, 6, 6, 1], generator: &generator)
            return try NetworkTrainer.train(
                network, on: data, validation: nil, configuration: configuration, generator: &generator
            ).network.parameters
        }
        #expect(try run(seed: 9) == run(seed: 9))
        #expect(try run(seed: 9) != run(seed: 10))
    }

    @Test("early stopping halts when validation loss stops improving and reports each epoch")
    func earlyStopping() throws {
        let data = try toyProblem(rows: 200, seed: 3)
        let validation = try toyProblem(rows: 100, seed: 4)
        var configuration = TrainingConfiguration()
        configuration.epochs = 500
        configuration.validationSplit = 0.2
        configuration.earlyStoppingPatience = 3
        configuration.adam.learningRate = 0.05
        var generator = SeededGenerator(seed: 6)
        let network = try DenseNetwork.glorotUniform(layerSizes: [2, 6, 6, 1], generator: &generator)
        var reports = 0
        let run = try NetworkTrainer.train(
            network, on: data, validation: validation, configuration: configuration, generator: &generator,
            progress: { _ in reports += 1 })
        #expect(run.epochsRun < 500)
        #expect(reports == run.epochsRun)
        #expect(run.history.allSatisfy { $0.validationLoss != nil })
        // The restored network is the best one seen.
        let best = run.history.compactMap(\.validationLoss).min()!
        let restored = BinaryCrossEntropy.mean(
            labels: validation.labels, probabilities: try run.network.predictProbabilities(validation.features))
        #expect(abs(restored - best) < 1e-9)
    }

    @Test("bad options are refused with the option's name")
    func badOptions() throws {
        var configuration = TrainingConfiguration()
        configuration.batchSize = 0
        #expect(
            throws: TrainingError.invalidConfiguration(
                option: "batch-size", message: "must be between 1 and 1048576, got 0")
        ) {
            try configuration.validate()
        }
        configuration = TrainingConfiguration()
        configuration.earlyStoppingPatience = 2
        #expect(throws: TrainingError.self) { try configuration.validate() }
    }

    @Test("balanced class weights follow n / (2 · n_class)")
    func balancedWeights() {
        // 1 positive, 3 negatives: positive 4/2 = 2, negative 4/6.
        let weights = NetworkTrainer.classWeights([1, 0, 0, 0], policy: .balanced)
        #expect(abs(weights.positive - 2) < 1e-6)
        #expect(abs(weights.negative - 4.0 / 6.0) < 1e-6)
    }
}
