import Synchronization

/// Keeps a ``WirePool``'s replicas in step with DNS: looks up every configured endpoint whose host
/// is a name (not an IP literal) and makes the addresses it resolves to the replicas of that
/// endpoint (``WirePoolState/update(source:to:admitNew:)``).
///
/// Lookups run one round at a time: a caller that asks while a round runs waits for that round.
/// A name that fails to resolve keeps the replicas it had; one that never resolved stays a single
/// replica connected to by name, so that connection errors name the host.
actor WirePoolRefresher {
    /// The configured endpoints with a name, by their index among the pool's endpoints.
    private let names: [(source: Int, endpoint: RoleEndpoint)]
    private let resolver: any AddressResolver
    private let state: WirePoolState
    private var round: Task<Void, Never>?
    private var rounds = 0
    /// When the last round started.
    private var lastStart: ContinuousClock.Instant?
    /// Whether the first round has ended (read by every call without an actor hop).
    let initialized = Atomic<Bool>(false)

    /// A refresher for `endpoints` (the pool's, in order), or nil when none of them is a name.
    init?(endpoints: [RoleEndpoint], resolver: any AddressResolver, state: WirePoolState) {
        let names = endpoints.enumerated().filter { !$0.element.hostIsIPLiteral }.map {
            (source: $0.offset, endpoint: $0.element)
        }
        guard !names.isEmpty else { return nil }
        self.names = names
        self.resolver = resolver
        self.state = state
    }

    /// Runs a lookup round (or waits for the one running) and returns when it has been applied;
    /// a cancelled caller stops waiting at once (the round goes on). The first round puts the
    /// replicas it finds in rotation; later rounds add new addresses out of rotation, for the
    /// monitor's probe to admit once they serve.
    func refresh() async throws {
        if let round {
            try await round.valueUnlessCancelled
            return
        }
        let (names, resolver, state, initial) = (names, resolver, state, rounds == 0)
        rounds += 1
        lastStart = .now
        let task = Task {
            await withTaskGroup(of: (Int, [RoleEndpoint]?).self) { group in
                for (source, endpoint) in names {
                    group.addTask { (source, await endpoint.resolve(with: resolver)) }
                }
                for await (source, replicas) in group {
                    guard let replicas else { continue }
                    await state.update(source: source, to: replicas, admitNew: initial)
                }
            }
            self.roundEnded()
        }
        round = task
        try await task.valueUnlessCancelled
    }

    /// The round running has been applied.
    private func roundEnded() {
        round = nil
        initialized.store(true, ordering: .releasing)
    }

    /// Runs a round as ``refresh()`` does, unless none is running and the last one started less
    /// than `spacing` ago (callers that all failed at once share one lookup).
    func refresh(unlessWithin spacing: Duration) async throws {
        if round == nil, let lastStart, ContinuousClock.now - lastStart < spacing { return }
        try await refresh()
    }

    /// Starts a round in the background unless one runs, or one started less than `spacing` ago.
    func kick(spacing: Duration) {
        guard round == nil else { return }
        if let lastStart, ContinuousClock.now - lastStart < spacing { return }
        Task { try? await self.refresh() }
    }

    /// Whether a round is due: none started for `interval`.
    func isDue(_ interval: Duration) -> Bool {
        guard let lastStart else { return true }
        return ContinuousClock.now - lastStart >= interval
    }
}
