import ChurnML
import NIOCore
import ServiceKit
import Wire

/// The general Predict path: decode the whole request, build a `Table`, and run the bundle's own
/// `predict` / `explain` — the exact code `churn predict MODEL` runs offline, so results are
/// bit-identical and every bad-input error comes from the same checks.
enum PredictEvaluation {
    /// Answers a Predict body with `model`; `maxRows` is the limit announced in Hello.
    static func answer(_ body: ByteBuffer, model: ServingModel, maxRows: Int, allocator: ByteBufferAllocator)
        -> WireReply
    {
        let request: PredictRequest
        do {
            var reader = WireReader(body)
            request = try PredictRequest(from: &reader, maxRows: maxRows)
            try reader.finish()
        } catch let error as WireError {
            return .error(wireError(error, body: body, maxRows: maxRows))
        } catch {
            return .error(.invalidRequest, "\(error)")
        }
        switch answer(request, model: model) {
        case .success(let response):
            var buffer = allocator.buffer(capacity: 64 + 8 * request.rowCount)
            response.encode(into: &buffer)
            return .response(buffer)
        case .failure(let error):
            return .error(error)
        }
    }

    /// Scores a decoded request with `model`.
    static func answer(_ request: PredictRequest, model: ServingModel) -> Result<PredictResponse, ErrorMessage> {
        let table: Table
        switch PredictInputTable.make(request.columns) {
        case .success(let made): table = made
        case .failure(let error): return .failure(error)
        }
        let policy: UnseenCategoryPolicy? =
            switch request.unseen {
            case .modelDefault: nil
            case .zeros: .zeros
            case .error: .error
            }
        let bundle = model.bundle
        do {
            var response = PredictResponse(
                model: model.identity.name, version: model.identity.version, threshold: bundle.threshold,
                probabilities: [], labels: [])
            let predictions: Predictions
            if request.explain > 0 {
                let (scored, factors) = try bundle.explain(table, top: Int(request.explain), policy: policy)
                predictions = scored
                response.factorColumns = model.featureColumns
                response.factors = factors.map { row in
                    row.map { PredictFactor(column: model.factorIndex[$0.column] ?? 0, contribution: $0.contribution) }
                }
            } else {
                predictions = try bundle.predict(table, policy: policy)
            }
            response.probabilities = predictions.probabilities
            response.labels = predictions.labels
            response.warnings = predictions.warnings.map {
                PredictWarning(
                    row: UInt32(truncatingIfNeeded: $0.row), column: $0.column, value: $0.value, message: $0.message)
            }
            return .success(response)
        } catch let error as DataError {
            return .failure(PredictInputTable.error(error))
        } catch {
            return .failure(ErrorMessage(code: .internal, message: "prediction failed: \(error)"))
        }
    }

    /// The error frame for a body that does not decode: a column over `maxRows` is
    /// `limitExceeded` naming the column, anything else `invalidRequest` naming the wire field.
    static func wireError(_ error: WireError, body: ByteBuffer, maxRows: Int) -> ErrorMessage {
        if case .lengthOutOfBounds(let field, let length, _) = error, field.hasPrefix("columns["),
            field.hasSuffix("].values"),
            let index = Int(field.dropFirst("columns[".count).dropLast("].values".count))
        {
            let name = PredictRequestPeek.columnName(index, in: body) ?? field
            return ErrorMessage(
                code: .limitExceeded, message: "\(length) rows exceed this server's maxRows \(maxRows)", field: name)
        }
        return ErrorMessage(code: error.code, message: error.description, field: error.field)
    }
}
