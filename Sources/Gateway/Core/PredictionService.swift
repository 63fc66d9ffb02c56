import NIOCore
import Wire

/// Checks rows against the served model's schema and scores them on the predictor.
struct PredictionService: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// The served model's description.
    let schemaCache: ModelInfoCache

    /// The served model's description (cached).
    func schema() async throws -> ModelInfoResponse {
        let backends = backends
        return try await schemaCache.current {
            try await backends.withPredictor { try await $0.modelInfo() }
        }
    }

    /// Scores encoded columns (any number of rows, in requests of the predictor's `maxRows`). A batch
    /// split over requests that straddles a model swap is scored again once, so every row of the
    /// answer comes from one version.
    func score(_ columns: [PredictColumn], explain: Int, unseen: PredictRequest.UnseenPolicy) async throws -> Scored {
        for _ in 0..<2 {
            let responses = try await backends.withPredictor {
                try await $0.predictInChunks(columns, explain: explain, unseen: unseen)
            }
            guard let first = responses.first else { break }
            await schemaCache.observe(model: first.model, version: first.version)
            if responses.contains(where: { $0.version != first.version || $0.model != first.model }) { continue }
            var scored = Scored(
                model: first.model, version: first.version, threshold: first.threshold, probabilities: [], labels: [],
                factors: [], warnings: [])
            var offset: UInt32 = 0
            for response in responses {
                scored.probabilities += response.probabilities
                scored.labels += response.labels
                let names = response.factorColumns
                if response.factors.isEmpty {
                    scored.factors += Array(repeating: [], count: response.probabilities.count)
                } else {
                    scored.factors += response.factors.map { row in
                        row.map {
                            Scored.Factor(
                                column: Int($0.column) < names.count ? names[Int($0.column)] : "column \($0.column)",
                                contribution: $0.contribution)
                        }
                    }
                }
                scored.warnings += response.warnings.map {
                    var warning = $0
                    warning.row &+= offset
                    return warning
                }
                offset &+= UInt32(clamping: response.probabilities.count)
            }
            return scored
        }
        throw GatewayError(
            status: .serviceUnavailable, code: "model_changed",
            message: "the predictor swapped models while scoring this batch twice; send it again")
    }
}
