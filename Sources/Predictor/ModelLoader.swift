import Foundation
import Logging
import Metrics

/// Loads models from a ``ModelSource`` into a ``ModelStore``, one load at a time: at start, on every
/// change the source signals, and whenever asked (PredictorReload, SIGHUP).
///
/// A new bundle is fetched and verified beside the one serving and swapped in only when valid; a
/// failure is logged, recorded for Health, and leaves the old model serving.
public actor ModelLoader {
    /// What a reload did.
    public enum Outcome: Sendable {
        /// A different bundle was verified and is now serving.
        case changed(ServingModel)
        /// The source still designates the bundle already serving.
        case unchanged(ServingModel)
    }

    /// The source.
    public nonisolated let source: any ModelSource
    /// The store swapped into.
    public nonisolated let store: ModelStore
    private var logger: Logger
    private let swaps = Counter(label: "predictor_model_swaps_total")
    private let refusals = Counter(label: "predictor_model_refusals_total")
    private let generation = Gauge(label: "predictor_model_generation")

    /// A loader from `source` into `store`.
    public init(source: any ModelSource, store: ModelStore, logger: Logger) {
        self.source = source
        self.store = store
        self.logger = logger
    }

    /// Replaces the logger (the serve command loads the first model before logging is bootstrapped).
    public func setLogger(_ logger: Logger) {
        self.logger = logger
    }

    /// Loads the source's current bundle and swaps it in if it differs from the one serving.
    @discardableResult
    public func reload() async -> Result<Outcome, ModelSourceError> {
        let serving = store.current
        do throws(ModelSourceError) {
            guard let candidate = try await source.load(current: serving?.identity.sha256) else {
                if let serving {
                    store.refuse(nil)
                    return .success(.unchanged(serving))
                }
                throw ModelSourceError.invalid(source: source.description, reason: "the source returned no model")
            }
            let now = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
            let model = store.install(candidate, loadedAtMillis: now)
            swaps.increment()
            generation.record(Double(model.identity.generation))
            logger.notice(
                "serving model",
                metadata: [
                    "model": "\(model.identity.name)", "version": "\(model.identity.version)",
                    "generation": "\(model.identity.generation)", "source": "\(model.identity.source)",
                    "previous": "\(serving?.identity.version ?? "none")",
                ])
            await source.served(model.identity)
            return .success(.changed(model))
        } catch {
            refusals.increment()
            let repeated = store.refusal == error.description
            store.refuse(error.description)
            // A source that retries (a registry source waiting for its first model) fails the same
            // way again and again: log the first failure, and the same one again only at debug level.
            // Having no model yet is a state, not a fault: a warning.
            logger.log(
                level: repeated ? .debug : error.isNoModel ? .warning : .error,
                "\(error.isNoModel ? "no model available" : "model refused"); \(serving.map { "still serving \($0.identity)" } ?? "no model serving")",
                metadata: ["source": "\(source.description)", "reason": "\(error)"])
            return .failure(error)
        }
    }

    /// Reloads on every change the source signals until the source finishes or the task is cancelled.
    public func followChanges() async {
        let changes = source.changes()
        // Catch a change made between the last load and the subscription (a no-op when unchanged).
        await reload()
        for await _ in changes {
            if Task.isCancelled { break }
            await reload()
        }
    }
}
