import ChurnML

/// The CPU-bound heart of a job: dataset bytes in, model bundle bytes out — exactly what
/// `churn train` does offline, so a job's metrics equal an offline run's with the same data and seed.
public enum JobExecutor {
    /// What one execution produced.
    public struct Output: Sendable {
        /// The bundle file's bytes.
        public var bundle: [UInt8]
        /// The training outcome (metrics, timings).
        public var outcome: TrainingOutcome
        /// SHA-256 of the dataset bytes.
        public var datasetSHA256: String
        /// SHA-256 of the bundle bytes.
        public var bundleSHA256: String
        /// The parsed dataset (for evaluating other models on the job's held-out rows).
        public var table: Table
        /// The schema the model was trained with (its notes say which columns inference dropped or reinterpreted).
        public var schema: Schema
        /// Warnings about values read differently from how they were written.
        public var warnings: [String]

        /// The schema's notes and then the warnings, one line each.
        public var messages: [String] { schema.notes.map(\.description) + warnings }
    }

    /// Parses the CSV, infers its schema (with `target` when given), trains, evaluates and encodes the
    /// bundle. The bundle's schema carries inference's notes; `Output.messages` lists them for the log.
    ///
    /// - Parameters:
    ///   - csv: how to read the CSV (a forced delimiter; detected by default).
    ///   - source: how the dataset is named in errors and in the bundle's lineage.
    ///   - progress: called after every epoch.
    ///   - shouldCancel: polled after every epoch; cancellation throws `CancellationError`.
    public static func run(
        datasetBytes: [UInt8], csv: CSVReadOptions = CSVReadOptions(), source: String,
        configuration: TrainingConfiguration,
        target: String?,
        progress: ((EpochReport) -> Void)? = nil, shouldCancel: (() -> Bool)? = nil
    ) throws -> Output {
        let prepared = try SchemaInference.prepare(
            try CSVReader.parse(datasetBytes, source: source, options: csv), target: target, overrides: nil)
        let table = prepared.table
        let schema = prepared.schema
        let datasetSHA256 = SHA256Digest.hex(of: datasetBytes)
        let outcome = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: datasetSHA256, source: source),
            progress: progress, shouldCancel: shouldCancel)
        let bundle = try BundleCodec.encode(outcome.bundle)
        return Output(
            bundle: bundle, outcome: outcome, datasetSHA256: datasetSHA256, bundleSHA256: SHA256Digest.hex(of: bundle),
            table: table, schema: schema, warnings: prepared.warnings)
    }
}
