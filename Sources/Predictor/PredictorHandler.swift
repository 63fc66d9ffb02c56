import Logging
import Metrics
import NIOCore
import ServiceKit
import Wire

/// The predictor role (wire.md §13): Predict, ModelInfo, PredictorReload and PredictorDrift on
/// top of the common opcodes, with Health from the ``ModelStore``.
///
/// Small Predict requests are answered on the connection's event loop (no task, no hop); larger
/// ones, and explanations of more than a few rows, are deferred to a task so the loop keeps
/// serving other connections. The model is read once per request, so the whole answer comes from
/// one version even if a swap happens meanwhile.
public struct PredictorHandler: WireRequestHandler {
    /// The served model.
    public let store: ModelStore
    /// Reloads for PredictorReload.
    public let loader: ModelLoader
    /// Largest Predict answered on the event loop (rows); larger ones run in a task.
    public var maxRowsOnLoop: Int
    /// Largest explained Predict answered on the event loop (rows).
    public var maxExplainedRowsOnLoop: Int
    /// Largest Predict the general path (taken when the fast path declines) answers on the event loop.
    public var maxGeneralRowsOnLoop: Int
    /// The prediction log and drift monitor.
    public var observers: PredictionObservers
    private let rowsCounter = Counter(label: "predictor_rows_total")

    /// A handler serving `store`, reloading through `loader`.
    public init(
        store: ModelStore, loader: ModelLoader, maxRowsOnLoop: Int = 1024, maxExplainedRowsOnLoop: Int = 4,
        maxGeneralRowsOnLoop: Int = 64,
        observers: PredictionObservers = PredictionObservers()
    ) {
        self.store = store
        self.loader = loader
        self.maxRowsOnLoop = maxRowsOnLoop
        self.maxExplainedRowsOnLoop = maxExplainedRowsOnLoop
        self.maxGeneralRowsOnLoop = maxGeneralRowsOnLoop
        self.observers = observers
    }

    /// Predict and ModelInfo read; PredictorReload changes state.
    public func operation(for opcode: Opcode) -> WireOperation? {
        switch opcode {
        case .predict, .modelInfo, .predictorDrift: .read
        case .predictorReload: .write
        default: nil
        }
    }

    /// Answers one request (on the event loop).
    public func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        switch request.opcode {
        case .predict:
            return predict(request.body, context: context)
        case .modelInfo:
            guard request.body.readableBytes == 0 else {
                return .error(.invalidRequest, "ModelInfo has an empty body", field: "body")
            }
            guard let model = store.current else { return Self.noModel(store) }
            return .message(model.info, allocator: context.allocator)
        case .predictorDrift:
            guard request.body.readableBytes == 0 else {
                return .error(.invalidRequest, "PredictorDrift has an empty body", field: "body")
            }
            guard let model = store.current else { return Self.noModel(store) }
            guard let drift = observers.drift else {
                return .error(.notFound, "this predictor does not watch drift")
            }
            guard let response = drift.response(for: model) else {
                return .error(
                    .notFound,
                    "\(model.identity) has no training baseline (trained before drift monitoring): retrain it to watch drift"
                )
            }
            return .message(response, allocator: context.allocator)
        case .predictorReload:
            guard request.body.readableBytes == 0 else {
                return .error(.invalidRequest, "PredictorReload has an empty body", field: "body")
            }
            let loader = self.loader
            let allocator = context.allocator
            return .deferred {
                switch await loader.reload() {
                case .success(.changed(let model)):
                    return .message(
                        PredictorReloadResponse(
                            changed: true, model: model.identity.name, version: model.identity.version,
                            generation: model.identity.generation),
                        allocator: allocator)
                case .success(.unchanged(let model)):
                    return .message(
                        PredictorReloadResponse(
                            changed: false, model: model.identity.name, version: model.identity.version,
                            generation: model.identity.generation),
                        allocator: allocator)
                case .failure(let error):
                    return .error(error.code, "model refused: \(error.description)")
                }
            }
        default:
            return .error(.unknownOpcode, "opcode \(request.opcode.hex) is not served by the predictor")
        }
    }

    /// Health from the store: serving only with a model and no pending refusal; drift at the
    /// warning band or above and entries the prediction log lost are noted (without changing the
    /// status).
    public func health() -> HealthResponse {
        var health = store.health()
        if let note = observers.healthNote { health.detail += "; " + note }
        return health
    }

    private func predict(_ body: ByteBuffer, context: WireRequestContext) -> WireReply {
        guard let model = store.current else { return Self.noModel(store) }
        let maxRows = context.maxRows
        let allocator = context.allocator
        let peek = PredictRequestPeek(body)
        let rows = peek?.rows ?? 0
        let explained = (peek?.explain ?? 0) > 0
        let counter = rowsCounter
        let observers = self.observers
        if !explained, rows <= maxRowsOnLoop {
            // The fast path is cheap enough for the loop; if it declines, the general path (several
            // times slower per row) runs on the loop only for small requests.
            if let (response, answered) = model.fast.answer(body, maxRows: maxRows, allocator: allocator) {
                counter.increment(by: Int64(answered))
                observers.observe(model, request: body, response: response)
                return .response(response)
            }
            if rows <= maxGeneralRowsOnLoop {
                return Self.general(
                    body, model: model, maxRows: maxRows, allocator: allocator, counter: counter, observers: observers)
            }
            return .deferred {
                Self.general(
                    body, model: model, maxRows: maxRows, allocator: allocator, counter: counter, observers: observers)
            }
        }
        if explained, rows <= maxExplainedRowsOnLoop {
            return Self.general(
                body, model: model, maxRows: maxRows, allocator: allocator, counter: counter, observers: observers)
        }
        return .deferred {
            if !explained, let (response, answered) = model.fast.answer(body, maxRows: maxRows, allocator: allocator) {
                counter.increment(by: Int64(answered))
                observers.observe(model, request: body, response: response)
                return .response(response)
            }
            return Self.general(
                body, model: model, maxRows: maxRows, allocator: allocator, counter: counter, observers: observers)
        }
    }

    /// The general path (decode, `Table`, the bundle's own predict/explain).
    private static func general(
        _ body: ByteBuffer, model: ServingModel, maxRows: Int, allocator: ByteBufferAllocator, counter: Counter,
        observers: PredictionObservers
    ) -> WireReply {
        let reply = PredictEvaluation.answer(body, model: model, maxRows: maxRows, allocator: allocator)
        if case .response(let response) = reply {
            if let rows = PredictRequestPeek(body)?.rows { counter.increment(by: Int64(rows)) }
            observers.observe(model, request: body, response: response)
        }
        return reply
    }

    private static func noModel(_ store: ModelStore) -> WireReply {
        .error(.unavailable, "no model loaded: \(store.refusal ?? "not loaded yet")")
    }
}
