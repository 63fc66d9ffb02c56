import NIOCore

/// Probes the replicas of a ``WirePool`` every `interval`, from the first call until `stop()`:
/// Health on a connection of each replica in rotation (out of rotation unless it answers
/// `serving`), and a new connection plus Health to each replica out of rotation (back in rotation
/// when it answers `serving`) or in rotation without an open connection (out unless it answers
/// `serving`; the connection is kept). With a refresher (the pool has endpoints that are names), it also
/// looks the names up again every `resolveInterval`, and after every round that leaves no replica
/// in rotation.
actor WirePoolMonitor {
    private let state: WirePoolState
    private let refresher: WirePoolRefresher?
    private let configuration: WireClientConfiguration
    private let interval: Duration
    private let resolveInterval: Duration
    private var task: Task<Void, Never>?
    private var stopped = false

    init(
        state: WirePoolState, refresher: WirePoolRefresher?, configuration: WireClientConfiguration, interval: Duration,
        resolveInterval: Duration
    ) {
        self.state = state
        self.refresher = refresher
        self.resolveInterval = resolveInterval
        var probing = configuration
        // A probe must not hang on a dead host for the callers' connect timeout.
        probing.connectTimeout = .milliseconds(min(configuration.connectTimeout.nanoseconds / 1_000_000, 1000))
        self.configuration = probing
        self.interval = interval
    }

    /// Starts probing (once).
    func start() {
        guard task == nil, !stopped else { return }
        let (state, refresher, configuration, interval, resolveInterval) = (
            state, refresher, configuration, interval, resolveInterval
        )
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await Self.probe(state: state, configuration: configuration)
                guard let refresher, !Task.isCancelled else { continue }
                // In the background: a slow name server must not hold the probes up.
                if await !state.anyInRotation {
                    await refresher.kick(spacing: interval)
                } else {
                    await refresher.kick(spacing: resolveInterval)
                }
            }
        }
    }

    /// Stops probing, without waiting for a probe in flight: one connecting to a replica that is
    /// gone can take its whole connect timeout (1 s), and a process closing several pools on
    /// SIGTERM must not wait for each in turn.
    func stop() async {
        stopped = true
        task?.cancel()
    }

    /// One round over every replica, concurrently.
    private static func probe(state: WirePoolState, configuration: WireClientConfiguration) async {
        let targets = await state.probeTargets()
        await withTaskGroup(of: Void.self) { group in
            for target in targets {
                group.addTask {
                    if target.inRotation, let client = target.client {
                        do {
                            let health = try await client.send(HealthRequest(), timeout: .seconds(1))
                            if health.status != .serving {
                                await state.eject(target.id, reason: "Health: \(health.status) \(health.detail)")
                            }
                        } catch is CancellationError {
                            return  // the monitor stopped
                        } catch {
                            await state.eject(target.id, reason: "Health: \(error)", dropping: client)
                        }
                    } else {
                        // Out of rotation, or in rotation without an open connection (never used,
                        // or closed by the replica): a new connection and Health decide.
                        do {
                            let client = try await WireClient.connect(
                                host: target.endpoint.connectHost, port: target.endpoint.port,
                                configuration: configuration)
                            let health = try await client.send(HealthRequest(), timeout: .seconds(1))
                            if health.status == .serving {
                                await state.admit(target.id, client: client)
                            } else {
                                await client.close()
                                if target.inRotation {
                                    await state.eject(target.id, reason: "Health: \(health.status) \(health.detail)")
                                }
                            }
                        } catch {
                            // Still down: probed again next round.
                            if target.inRotation { await state.eject(target.id, reason: "Health: \(error)") }
                        }
                    }
                }
            }
        }
    }
}
