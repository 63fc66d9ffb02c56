import NIOConcurrencyHelpers
import Wire

/// The model being served, swapped atomically, plus what Health reports about it.
///
/// Reading ``current`` takes a lock for a pointer copy; a request keeps the ``ServingModel`` it
/// read for its whole life, so swaps never affect requests in flight.
public final class ModelStore: Sendable {
    private struct State {
        var current: ServingModel?
        var refusal: String?
        var generation: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Creates an empty store (no model: Health degraded, Predict unavailable).
    public init() {}

    /// The model serving now, if any.
    public var current: ServingModel? {
        state.withLockedValue { $0.current }
    }

    /// Makes `candidate` the served model (next generation) and clears any refusal.
    @discardableResult
    public func install(_ candidate: ModelCandidate, loadedAtMillis: UInt64) -> ServingModel {
        // Build (precompute) outside the lock; only the pointer swap happens under it.
        let generation = state.withLockedValue { state -> UInt64 in
            state.generation += 1
            return state.generation
        }
        let model = ServingModel(candidate: candidate, generation: generation, loadedAtMillis: loadedAtMillis)
        state.withLockedValue { state in
            // A later install may have raced ahead (reloads are serialised by ModelLoader, so this is defensive).
            if (state.current?.identity.generation ?? 0) < generation {
                state.current = model
            }
            state.refusal = nil
        }
        return model
    }

    /// Records that a load failed (nil: the source designates the served model again, so any
    /// earlier refusal is over); the current model (if any) keeps serving.
    public func refuse(_ reason: String?) {
        state.withLockedValue { $0.refusal = reason }
    }

    /// The last refusal since the last successful load, if any.
    public var refusal: String? {
        state.withLockedValue { $0.refusal }
    }

    /// Health (wire.md §13.1): serving with a model and no pending refusal, else degraded with why.
    public func health() -> HealthResponse {
        let (current, refusal) = state.withLockedValue { ($0.current, $0.refusal) }
        guard let current else {
            return HealthResponse(status: .degraded, detail: "no model loaded: \(refusal ?? "not loaded yet")")
        }
        if let refusal {
            return HealthResponse(status: .degraded, detail: "serving \(current.identity); refused \(refusal)")
        }
        return HealthResponse(status: .serving, detail: "serving \(current.identity)")
    }
}
