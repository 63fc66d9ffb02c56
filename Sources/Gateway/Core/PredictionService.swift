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
            let batch = PredictBatch(merging: responses)
            guard let first = batch.models.first else { break }
            await schemaCache.observe(model: first.model, version: first.version)
            if !batch.isFromOneModel { continue }
            return Scored(
                model: first.model, version: first.version, threshold: batch.threshold,
                probabilities: batch.probabilities, labels: batch.labels, factors: batch.factors,
                warnings: batch.warnings)
        }
        throw GatewayError(
            status: .serviceUnavailable, code: "model_changed",
            message: "the predictor swapped models while scoring this batch twice; send it again")
    }
}
