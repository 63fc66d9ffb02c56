import NIOCore

/// Probes the replicas of a ``WirePool`` every `interval`, from the first call until `stop()`:
/// Health on a connection of each replica in rotation (out of rotation unless it answers
/// `serving`), and a new connection plus Health to each replica out of rotation (back in rotation
/// when it answers `serving`).
actor WirePoolMonitor {
    private let state: WirePoolState
    private let configuration: WireClientConfiguration
    private let interval: Duration
    private var task: Task<Void, Never>?
    private var stopped = false

    init(state: WirePoolState, configuration: WireClientConfiguration, interval: Duration) {
        self.state = state
        var probing = configuration
        // A probe must not hang on a dead host for the callers' connect timeout.
        probing.connectTimeout = .milliseconds(min(configuration.connectTimeout.nanoseconds / 1_000_000, 1000))
        self.configuration = probing
        self.interval = interval
    }

    /// Starts probing (once).
    func start() {
        guard task == nil, !stopped else { return }
        let (state, configuration, interval) = (state, configuration, interval)
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await Self.probe(state: state, configuration: configuration)
            }
        }
    }

    /// Stops probing.
    func stop() async {
        stopped = true
        task?.cancel()
        await task?.value
    }

    /// One round over every replica, concurrently.
    private static func probe(state: WirePoolState, configuration: WireClientConfiguration) async {
        let targets = await state.probeTargets()
        await withTaskGroup(of: Void.self) { group in
            for target in targets {
                group.addTask {
                    if target.inRotation {
                        guard let client = target.client else { return }
                        do {
                            let health = try await client.send(HealthRequest(), timeout: .seconds(1))
                            if health.status != .serving {
                                await state.eject(target.index, reason: "Health: \(health.status) \(health.detail)")
                            }
                        } catch {
                            await state.eject(target.index, reason: "Health: \(error)", dropping: client)
                        }
                    } else {
                        do {
                            let client = try await WireClient.connect(
                                host: target.endpoint.host, port: target.endpoint.port, configuration: configuration)
                            let health = try await client.send(HealthRequest(), timeout: .seconds(1))
                            if health.status == .serving {
                                await state.admit(target.index, client: client)
                            } else {
                                await client.close()
                            }
                        } catch {
                            // Still down: probed again next round.
                        }
                    }
                }
            }
        }
    }
}
