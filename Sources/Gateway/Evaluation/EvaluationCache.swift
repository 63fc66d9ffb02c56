import Wire

/// Evaluations read from model bundles, kept by bundle SHA-256 (bundles never change under a
/// digest), at most ``capacity`` of them.
actor EvaluationCache {
    /// Most evaluations kept.
    let capacity: Int
    private var entries: [String: BundleEvaluation] = [:]
    private var order: [String] = []

    /// Creates an empty cache.
    init(capacity: Int = 64) { self.capacity = max(1, capacity) }

    /// The version `reference` names and its evaluation, downloading its bundle unless cached.
    func evaluation(of reference: String, backends: GatewayBackends) async throws -> (ModelVersion, BundleEvaluation) {
        let version = try await backends.withRegistry { try await $0.model(reference).version }
        if let cached = entries[version.bundleSHA256] { return (version, cached) }
        let bytes = try await backends.withRegistry { try await $0.download(sha256: version.bundleSHA256) }
        let evaluation: BundleEvaluation
        do {
            evaluation = try BundleEvaluation(bundle: bytes)
        } catch {
            throw GatewayError(
                status: .badGateway, code: "bundle_unreadable",
                message: "the bundle of \(version.reference) cannot be read: \(error)")
        }
        store(evaluation, for: version.bundleSHA256)
        return (version, evaluation)
    }

    private func store(_ evaluation: BundleEvaluation, for digest: String) {
        if entries[digest] == nil {
            order.append(digest)
            if order.count > capacity { entries[order.removeFirst()] = nil }
        }
        entries[digest] = evaluation
    }
}
