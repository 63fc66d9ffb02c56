/// Times the training loop alone, several runs over the same encoded rows, for `churn bench train`.
public enum TrainingBenchmark {
    /// Timings of a benchmark.
    public struct Result: Sendable {
        /// Rows trained on.
        public var rows: Int
        /// Seconds of each run's training loop.
        public var runSeconds: [Double]
        /// CPU seconds of each run's training loop.
        public var runCPUSeconds: [Double]

        /// Median of `runSeconds`.
        public var medianSeconds: Double { Median.of(runSeconds) }

        /// Median of `runCPUSeconds`.
        public var medianCPUSeconds: Double { Median.of(runCPUSeconds) }

        /// Fastest run.
        public var minimumSeconds: Double { runSeconds.min() ?? 0 }
    }

    /// Fits the preprocessing on the first `rows` rows of `table` (all rows when `rows` is nil or
    /// larger than the table), then trains `runs` times with seeds `seed, seed+1, …`, timing each
    /// training loop. The configuration's test and validation splits are ignored.
    public static func run(
        table: Table, schema: Schema, rows: Int?, configuration: TrainingConfiguration, runs: Int
    ) throws -> Result {
        var configuration = configuration
        configuration.testSplit = 0
        configuration.validationSplit = 0
        configuration.earlyStoppingPatience = nil
        try configuration.validate()
        let count = min(rows ?? table.rowCount, table.rowCount)
        let subset = count == table.rowCount ? table : table.rows(Array(0..<count))
        let labels = try SchemaInference.labels(of: subset, schema: schema)
        let (pipeline, encoded) = try FeaturePipeline.fitAndTransform(subset, schema: schema)
        let data = try LabeledMatrix(features: encoded.features, labels: labels)
        var seconds: [Double] = []
        var cpuSeconds: [Double] = []
        for run in 0..<max(1, runs) {
            var generator = SeededGenerator(seed: configuration.seed &+ UInt64(run))
            let network = try DenseNetwork.glorotUniform(
                layerSizes: [pipeline.featureCount] + configuration.hiddenLayers + [1], generator: &generator)
            let result = try NetworkTrainer.train(
                network, on: data, validation: nil, configuration: configuration, generator: &generator)
            seconds.append(result.trainSeconds)
            cpuSeconds.append(result.cpuSeconds)
        }
        return Result(rows: count, runSeconds: seconds, runCPUSeconds: cpuSeconds)
    }
}
