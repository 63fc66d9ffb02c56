/// The answers to one batch of rows that was sent as several Predict requests (each of at most the
/// server's `maxRows` rows), merged in row order. The gateway and `churn predict --predictor` both
/// build it, so that factor names, warning rows and model versions are merged the same way.
public struct PredictBatch: Hashable, Sendable {
    /// One factor with its column resolved to a name.
    public struct NamedFactor: Hashable, Sendable, Codable {
        /// The original column.
        public var column: String
        /// Contribution in probability units (positive pushes towards churn).
        public var contribution: Double

        public init(column: String, contribution: Double) {
            self.column = column
            self.contribution = contribution
        }
    }

    /// A model name and version that answered part of the batch.
    public struct ModelVersion: Hashable, Sendable {
        /// Model name.
        public var model: String
        /// Model version.
        public var version: String

        /// Creates the pair.
        public init(model: String, version: String) {
            self.model = model
            self.version = version
        }
    }

    /// The models that answered, in row order, without consecutive repeats: more than one means the
    /// predictor swapped models while the batch was being sent.
    public var models: [ModelVersion] = []
    /// The decision threshold of the last answer.
    public var threshold = 0.5
    /// Churn probability per row.
    public var probabilities: [Float] = []
    /// `probability ≥ threshold` per row.
    public var labels: [Bool] = []
    /// Per row, the largest factors first (an empty list per row without explanations).
    public var factors: [[NamedFactor]] = []
    /// Values encoded with a fallback, rows counted over the whole batch (0-based).
    public var warnings: [PredictWarning] = []

    /// Merges `responses`, the answers to consecutive parts of one batch, in order.
    public init(merging responses: [PredictResponse]) {
        for response in responses { append(response) }
    }

    /// Whether every row was scored by the same model version.
    public var isFromOneModel: Bool { models.count <= 1 }

    /// Appends the answer to the next part of the batch: its rows follow the rows already here.
    public mutating func append(_ response: PredictResponse) {
        let offset = UInt32(clamping: probabilities.count)
        let model = ModelVersion(model: response.model, version: response.version)
        if models.last != model { models.append(model) }
        threshold = response.threshold
        probabilities += response.probabilities
        labels += response.labels
        if response.factors.isEmpty {
            factors += Array(repeating: [], count: response.probabilities.count)
        } else {
            let names = response.factorColumns
            factors += response.factors.map { row in
                row.map {
                    NamedFactor(
                        column: Int($0.column) < names.count ? names[Int($0.column)] : "column \($0.column)",
                        contribution: $0.contribution)
                }
            }
        }
        warnings += response.warnings.map {
            var warning = $0
            warning.row &+= offset
            return warning
        }
    }
}
