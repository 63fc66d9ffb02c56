import Hummingbird
import NIOCore
import Prometheus
import ServiceLifecycle
import Wire

/// `/healthz` (the gateway serves; the roles' states in the body), `/readyz` (200 only while the
/// predictor serves a model) and `/metrics` (Prometheus text).
struct HealthAPI: Sendable {
    /// The roles.
    let backends: GatewayBackends
    /// The metrics registry `@main` bootstrapped, if any.
    let metrics: PrometheusCollectorRegistry?

    /// One role's state.
    struct RoleState: Encodable {
        /// `serving`, `degraded`, `draining` or `unreachable`.
        var status: String
        /// Why, when not serving.
        var detail: String
        /// Where it listens.
        var address: String
        /// Each replica as the gateway's pool sees it.
        var replicas: [ReplicaState]
    }

    /// One replica of a role, as the gateway's pool sees it.
    struct ReplicaState: Encodable {
        /// `HOST:PORT`, followed by the address a DNS name resolved to: `predictor:7402 (172.18.0.5)`.
        var address: String
        /// Whether the gateway sends calls to it.
        var inRotation: Bool
        /// Calls on it now.
        var outstanding: Int
        /// Why it is out of rotation.
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case address
            case inRotation = "in_rotation"
            case outstanding, reason
        }
    }

    /// The health document.
    struct Health: Encodable {
        /// `ok` when every role serves, else `degraded`.
        var status: String
        /// Per role.
        var roles: [String: RoleState]
    }

    /// The states of the configured roles, asked concurrently. A graceful shutdown cancels the
    /// probes (a role that does not answer would otherwise hold the gateway's shutdown for the
    /// probe's 2 s timeout); each cancelled role reads `unreachable`.
    func check() async -> Health {
        (try? await cancelWhenGracefulShutdown { await probe() }) ?? Health(status: "degraded", roles: [:])
    }

    /// Asks every configured role for its health.
    private func probe() async -> Health {
        var connections = [backends.predictor, backends.registry]
        if let trainer = backends.trainer { connections.append(trainer) }
        let backends = backends
        var roles: [String: RoleState] = [:]
        await withTaskGroup(of: (String, RoleState).self) { group in
            for connection in connections {
                group.addTask {
                    let address = connection.address.description
                    // After the call: a pool looks its names up before its first call.
                    let replicas: @Sendable () async -> [ReplicaState] = {
                        await connection.pool.replicas().map {
                            ReplicaState(
                                address: $0.endpoint.description, inRotation: $0.inRotation,
                                outstanding: $0.outstanding, reason: $0.reason)
                        }
                    }
                    do {
                        let health = try await backends.with(connection) { wire, _ in
                            try await wire.send(HealthRequest(), timeout: .seconds(2))
                        }
                        let replicas = await replicas()
                        let status =
                            switch health.status {
                            case .serving: "serving"
                            case .degraded: "degraded"
                            case .draining: "draining"
                            }
                        return (
                            connection.role,
                            RoleState(status: status, detail: health.detail, address: address, replicas: replicas)
                        )
                    } catch {
                        let detail =
                            error is CancellationError
                            ? "not asked: the gateway is shutting down"
                            : (error as? GatewayError)?.message ?? "\(error)"
                        return (
                            connection.role,
                            RoleState(
                                status: "unreachable", detail: detail, address: address, replicas: await replicas())
                        )
                    }
                }
            }
            for await (role, state) in group { roles[role] = state }
        }
        let ok = roles.values.allSatisfy { $0.status == "serving" }
        return Health(status: ok ? "ok" : "degraded", roles: roles)
    }

    /// `GET /healthz`: 200 while the gateway serves HTTP; the body says how the roles are.
    func healthz(_ request: Request, context: some RequestContext) async throws -> Response {
        Reply.json(await check())
    }

    /// `GET /readyz`: 200 when the predictor serves a model, else 503 with the reason.
    func readyz(_ request: Request, context: some RequestContext) async throws -> Response {
        let health = await check()
        let predictor = health.roles["predictor"]
        return Reply.json(health, status: predictor?.status == "serving" ? .ok : .serviceUnavailable)
    }

    /// `GET /metrics`: the Prometheus text exposition.
    func metricsText(_ request: Request, context: some RequestContext) async throws -> Response {
        guard let metrics else {
            return Reply.text("# no metrics registry\n", contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(metrics.emitToBuffer())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer))
    }
}
