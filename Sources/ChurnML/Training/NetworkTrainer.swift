import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The result of a training loop.
public struct TrainingRun: Sendable {
    /// The trained network (the best one by validation loss when early stopping restored it).
    public var network: DenseNetwork
    /// Epochs actually run.
    public var epochsRun: Int
    /// Wall-clock seconds of the training loop alone.
    public var trainSeconds: Double
    /// CPU seconds the training thread spent in the loop (unaffected by other processes' load).
    public var cpuSeconds: Double
    /// One report per epoch run.
    public var history: [EpochReport]
}

/// Mini-batch training of a `DenseNetwork` with Adam and binary cross-entropy.
///
/// Each epoch shuffles the row order (Fisher–Yates, seeded), walks it in batches, gathers each
/// batch's rows into a preallocated buffer and takes one Adam step. Nothing inside the epoch loop
/// allocates, and the same inputs, configuration and seed always give bit-identical weights.
public enum NetworkTrainer {
    /// Trains `network` in place on `training`, validating on `validation` after every epoch.
    ///
    /// - Parameters:
    ///   - generator: the source of shuffling randomness (advanced by this call).
    ///   - progress: called after each epoch.
    ///   - shouldCancel: polled after each epoch; training stops with `CancellationError` when it returns true.
    public static func train(
        _ network: DenseNetwork,
        on training: LabeledMatrix,
        validation: LabeledMatrix?,
        configuration: TrainingConfiguration,
        generator: inout SeededGenerator,
        progress: ((EpochReport) -> Void)? = nil,
        shouldCancel: (() -> Bool)? = nil
    ) throws -> TrainingRun {
        try configuration.validate()
        let layout = network.layout
        let width = layout.inputWidth
        guard training.features.columns == width else {
            throw NetworkError.inputWidthMismatch(expected: width, found: training.features.columns)
        }
        guard training.rowCount > 0 else { throw TrainingError.unusableData("there are no training rows") }
        BLAS.setThreadCount(configuration.threads)

        let rowCount = training.rowCount
        let batchSize = min(configuration.batchSize, rowCount)
        let computer = GradientComputer(layout: layout, maxBatch: batchSize)
        let optimizer = AdamOptimizer(configuration: configuration.adam, parameterCount: layout.count)
        let parameters = FloatBuffer(network.parameters)
        let batchFeatures = FloatBuffer(count: batchSize * width)
        let batchLabels = FloatBuffer(count: batchSize)
        let batchWeights = FloatBuffer(count: batchSize)
        let classWeights = Self.classWeights(training.labels, policy: configuration.classWeight)
        var order = [Int](0..<rowCount)
        var best: (loss: Double, parameters: [Float])?
        var epochsWithoutImprovement = 0
        var history: [EpochReport] = []
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = Self.threadCPUSeconds()

        for epoch in 1...configuration.epochs {
            shuffle(&order, generator: &generator)
            var lossSum = 0.0
            try training.features.storage.withUnsafeBufferPointer { allFeatures in
                try training.labels.withUnsafeBufferPointer { allLabels in
                    guard let featureBase = allFeatures.baseAddress, let labelBase = allLabels.baseAddress else {
                        return
                    }
                    try order.withUnsafeBufferPointer { shuffled in
                        var batchStart = 0
                        while batchStart < rowCount {
                            let rows = min(batchSize, rowCount - batchStart)
                            for slot in 0..<rows {
                                let source = shuffled[batchStart + slot]
                                (batchFeatures.pointer + slot * width).update(
                                    from: featureBase + source * width, count: width)
                                let label = labelBase[source]
                                batchLabels.pointer[slot] = label
                                batchWeights.pointer[slot] =
                                    label >= 0.5 ? classWeights.positive : classWeights.negative
                            }
                            let input = MatrixView(unchecked: batchFeatures.pointer, rows: rows, columns: width)
                            let loss = try computer.lossAndGradient(
                                input: input, labels: batchLabels.pointer,
                                sampleWeights: classWeights.isUniform ? nil : UnsafePointer(batchWeights.pointer),
                                parameters: parameters.pointer)
                            lossSum += loss * Double(rows)
                            optimizer.update(
                                parameters: parameters.pointer, gradients: computer.gradient.pointer,
                                count: layout.count)
                            batchStart += rows
                        }
                    }
                }
            }
            let epochLoss = lossSum / Double(rowCount)
            guard epochLoss.isFinite else { throw TrainingError.diverged(epoch: epoch) }

            var report = EpochReport(
                epoch: epoch, epochs: configuration.epochs, loss: epochLoss,
                validationLoss: nil, validationAccuracy: nil,
                elapsedSeconds: Self.seconds(clock.now - start))
            if let validation, validation.rowCount > 0 {
                let current = try DenseNetwork(layerSizes: layout.layerSizes, parameters: parameters.array)
                let probabilities = try current.predictProbabilities(validation.features)
                report.validationLoss = BinaryCrossEntropy.mean(labels: validation.labels, probabilities: probabilities)
                report.validationAccuracy = Self.accuracy(
                    labels: validation.labels, probabilities: probabilities, threshold: configuration.threshold)
            }
            history.append(report)
            progress?(report)

            if let patience = configuration.earlyStoppingPatience, let validationLoss = report.validationLoss {
                if best == nil || validationLoss < best!.loss {
                    best = (validationLoss, parameters.array)
                    epochsWithoutImprovement = 0
                } else {
                    epochsWithoutImprovement += 1
                    if epochsWithoutImprovement >= patience { break }
                }
            }
            if shouldCancel?() == true { throw CancellationError() }
        }

        let trainSeconds = Self.seconds(clock.now - start)
        let cpuSeconds = Self.threadCPUSeconds() - cpuStart
        let finalParameters = best?.parameters ?? parameters.array
        return TrainingRun(
            network: try DenseNetwork(layerSizes: layout.layerSizes, parameters: finalParameters),
            epochsRun: history.count, trainSeconds: trainSeconds, cpuSeconds: cpuSeconds, history: history)
    }

    /// Per-class loss weights for `policy`.
    static func classWeights(_ labels: [Float], policy: ClassWeightPolicy) -> (
        negative: Float, positive: Float, isUniform: Bool
    ) {
        guard policy == .balanced else { return (1, 1, true) }
        let positives = labels.reduce(0) { $0 + ($1 >= 0.5 ? 1 : 0) }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return (1, 1, true) }
        let total = Float(labels.count)
        return (total / (2 * Float(negatives)), total / (2 * Float(positives)), false)
    }

    /// In-place Fisher–Yates shuffle driven by `generator`.
    static func shuffle(_ order: inout [Int], generator: inout SeededGenerator) {
        guard order.count > 1 else { return }
        order.withUnsafeMutableBufferPointer { buffer in
            for index in stride(from: buffer.count - 1, to: 0, by: -1) {
                let other = generator.nextIndex(below: index + 1)
                buffer.swapAt(index, other)
            }
        }
    }

    /// Share of rows whose thresholded probability equals the label.
    static func accuracy(labels: [Float], probabilities: [Float], threshold: Double) -> Double {
        guard !labels.isEmpty else { return 0 }
        var correct = 0
        for (label, probability) in zip(labels, probabilities)
        where (Double(probability) >= threshold) == (label >= 0.5) {
            correct += 1
        }
        return Double(correct) / Double(labels.count)
    }

    /// CPU time consumed so far by the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// A duration in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
