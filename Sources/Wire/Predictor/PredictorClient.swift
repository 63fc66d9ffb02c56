import NIOCore
import NIOPosix

/// Typed calls to a predictor server (wire.md §13) over one ``WireClient`` connection: Predict
/// (rows column-wise, optional explanations), ModelInfo, PredictorDrift and Health. Any role can use it without
/// importing the Predictor library.
public struct PredictorClient: WireRoleClient {
    /// The underlying connection.
    public let wire: WireClient

    /// Wraps an open connection.
    public init(wire: WireClient) { self.wire = wire }

    /// Largest number of rows one Predict request may carry (announced in Hello).
    public var maxRows: Int { max(1, Int(wire.hello.maxRows)) }

    /// Scores the rows held column-wise in `columns` with ONE request (at most ``maxRows`` rows);
    /// `explain` > 0 asks for that many factors per row.
    public func predict(
        _ columns: [PredictColumn], explain: Int = 0, unseen: PredictRequest.UnseenPolicy = .modelDefault,
        timeout: TimeAmount? = nil
    ) async throws -> PredictResponse {
        let request = PredictRequest(columns: columns, explain: UInt16(clamping: max(0, explain)), unseen: unseen)
        let response = try await wire.send(request, timeout: timeout)
        let rows = request.rowCount
        guard response.probabilities.count == rows, response.labels.count == rows,
            response.factors.isEmpty || response.factors.count == rows
        else {
            throw WireClientError.protocolViolation(
                "Predict answered \(response.probabilities.count) probabilities for \(rows) rows")
        }
        return response
    }

    /// Scores any number of rows in requests of at most ``maxRows`` rows each, in order; returns
    /// one response per request (each names the model version that produced it).
    public func predictInChunks(
        _ columns: [PredictColumn], explain: Int = 0, unseen: PredictRequest.UnseenPolicy = .modelDefault,
        timeout: TimeAmount? = nil
    ) async throws -> [PredictResponse] {
        let rows = columns.first?.count ?? 0
        var responses: [PredictResponse] = []
        for range in Self.chunks(rows: rows, maxRows: maxRows) {
            let part = range.count == rows ? columns : columns.map { $0.slice(range) }
            responses.append(try await predict(part, explain: explain, unseen: unseen, timeout: timeout))
        }
        return responses
    }

    /// The row ranges of the requests that send `rows` rows at most `maxRows` at a time, in order
    /// (one empty range for no rows: a request still goes out and names the model).
    public static func chunks(rows: Int, maxRows: Int) -> [Range<Int>] {
        let size = max(1, maxRows)
        if rows <= size { return [0..<max(0, rows)] }
        return stride(from: 0, to: rows, by: size).map { $0..<min(rows, $0 + size) }
    }

    /// The model the predictor serves now (`unavailable` when it has none).
    public func modelInfo(timeout: TimeAmount? = nil) async throws -> ModelInfoResponse {
        try await wire.send(ModelInfoRequest(), timeout: timeout)
    }

    /// How far the live inputs and scores moved from the model's training distribution
    /// (`notFound` when the model has no baseline).
    public func drift(timeout: TimeAmount? = nil) async throws -> PredictorDriftResponse {
        try await wire.send(PredictorDriftRequest(), timeout: timeout)
    }

    /// The predictor's health (degraded with a reason when it has no model or refused a bundle).
    public func health(timeout: TimeAmount? = nil) async throws -> HealthResponse {
        try await wire.send(HealthRequest(), timeout: timeout)
    }
}

extension PredictColumn {
    /// The values at `range` (clamped to the column), same name and type.
    public func slice(_ range: Range<Int>) -> PredictColumn {
        switch values {
        case .numbers(let numbers):
            return .numbers(name, Array(numbers[range.clamped(to: numbers.indices)]))
        case .texts(let texts):
            return .texts(name, Array(texts[range.clamped(to: texts.indices)]))
        }
    }
}
