import ArgumentParser
import ChurnML

/// `churn bench train`: how long the training loop takes for a recipe, median over several runs.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time the training loop (default: the reference recipe on 8,000 synthetic rows).")

    @Option(help: "Data to train on (default: 10,000 rows from the synthetic generator, seed 0).")
    var data: String?

    @Option(help: "Rows to train on, from the start of the data (0 = all).")
    var rows: Int = 8000

    @Option(help: "Timed runs; the median is reported.")
    var runs: Int = 5

    @OptionGroup var training: TrainingOptions

    @OptionGroup var table: TableOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() throws {
        let clock = ContinuousClock()
        let readStart = clock.now
        let loaded: LoadedTable
        if let data {
            loaded = try table.load(data)
        } else {
            let bytes = SyntheticBankData.csv(rows: max(10_000, rows), seed: 0)
            let parsed = try CSVReader.parse(bytes, source: "synthetic")
            let prepared = try SchemaInference.prepare(parsed, target: table.target, overrides: nil)
            loaded = LoadedTable(
                table: prepared.table, schema: prepared.schema, warnings: prepared.warnings,
                identity: DatasetIdentity(sha256: SHA256Digest.hex(of: bytes), source: "synthetic"))
        }
        let readSeconds = (clock.now - readStart).seconds
        let configuration = try training.configuration()
        let result = try TrainingBenchmark.run(
            table: loaded.table, schema: loaded.schema, rows: rows == 0 ? nil : rows,
            configuration: configuration, runs: runs)
        let reference = TrainingConfiguration()
        let isReference =
            configuration.hiddenLayers == reference.hiddenLayers && configuration.batchSize == reference.batchSize
            && configuration.epochs == reference.epochs && configuration.adam == reference.adam
        let output = BenchTrainOutput(
            recipe: isReference ? "reference" : "custom", rows: result.rows, epochs: configuration.epochs,
            batchSize: configuration.batchSize, layers: configuration.hiddenLayers, runs: result.runSeconds.count,
            trainSecondsMedian: result.medianSeconds, trainSecondsMin: result.minimumSeconds,
            trainCPUSecondsMedian: result.medianCPUSeconds,
            samplesPerSecond: Double(result.rows * configuration.epochs) / max(result.medianSeconds, 1e-12),
            readSeconds: readSeconds, data: loaded.identity.source)
        if json {
            try JSONOutput.print(output)
        } else {
            print(
                """
                \(output.recipe) recipe, layers \(configuration.hiddenLayers), batch \(configuration.batchSize), \(configuration.epochs) epochs, \(result.rows) rows of \(output.data)
                train_seconds median \(ProgressBar.format(output.trainSecondsMedian)) min \(ProgressBar.format(output.trainSecondsMin)) (cpu median \(ProgressBar.format(output.trainCPUSecondsMedian))) over \(output.runs) runs; \(Int(output.samplesPerSecond)) samples/s; read \(ProgressBar.format(readSeconds, digits: 3)) s
                """)
        }
    }
}

/// The JSON that `churn bench train --json` prints.
struct BenchTrainOutput: Encodable {
    var recipe: String
    var rows: Int
    var epochs: Int
    var batchSize: Int
    var layers: [Int]
    var runs: Int
    var trainSecondsMedian: Double
    var trainSecondsMin: Double
    var trainCPUSecondsMedian: Double
    var samplesPerSecond: Double
    var readSeconds: Double
    var data: String

    enum CodingKeys: String, CodingKey {
        case recipe, rows, epochs
        case batchSize = "batch_size"
        case layers, runs
        case trainSecondsMedian = "train_seconds_median"
        case trainSecondsMin = "train_seconds_min"
        case trainCPUSecondsMedian = "train_cpu_seconds_median"
        case samplesPerSecond = "samples_per_second"
        case readSeconds = "read_seconds"
        case data
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
