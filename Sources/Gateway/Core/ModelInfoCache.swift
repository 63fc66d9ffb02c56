import Wire

/// The served model's description (ModelInfo), cached for a few seconds so that checking a
/// request's values costs no extra round trip; forgotten as soon as a Predict answer names another
/// version (the predictor swapped models).
actor ModelInfoCache {
    private let ttl: Duration
    private var cached: (info: ModelInfoResponse, at: ContinuousClock.Instant)?
    private var fetching: Task<ModelInfoResponse, any Error>?

    /// Creates an empty cache keeping answers for `ttl`.
    init(ttl: Duration) { self.ttl = ttl }

    /// The cached description, or a fresh one from `fetch` when none is cached or it is too old.
    func current(_ fetch: @escaping @Sendable () async throws -> ModelInfoResponse) async throws -> ModelInfoResponse {
        if let cached, ContinuousClock.now - cached.at < ttl { return cached.info }
        if let fetching { return try await fetching.value }
        let task = Task { try await fetch() }
        fetching = task
        defer { fetching = nil }
        let info = try await task.value
        cached = (info, ContinuousClock.now)
        return info
    }

    /// Forgets the cached description unless it is of `version` (called with each Predict answer's version).
    func observe(model: String, version: String) {
        if let cached, cached.info.version != version || cached.info.model != model { self.cached = nil }
    }

    /// Forgets the cached description.
    func invalidate() { cached = nil }
}
