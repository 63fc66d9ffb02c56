import Logging
import NIOCore
import ServiceKit
import Wire

/// The roles the gateway talks to, each over a few shared wire connections, with typed clients and
/// wire errors turned into ``GatewayError``s.
final class GatewayBackends: Sendable {
    /// The predictor connection.
    let predictor: BackendConnection
    /// The registry connection.
    let registry: BackendConnection
    /// The trainer connection, when configured.
    let trainer: BackendConnection?
    /// Per-call timeout.
    let timeout: TimeAmount

    /// Creates (unopened) connections to the configured roles.
    init(configuration: GatewayConfiguration) {
        var wire = WireClientConfiguration(clientName: "churn-gateway", token: configuration.token)
        wire.connectTimeout = configuration.connectTimeout
        wire.requestTimeout = configuration.requestTimeout
        predictor = BackendConnection(
            role: "predictor", addresses: configuration.predictor.listenAddresses, configuration: wire)
        registry = BackendConnection(
            role: "registry", addresses: configuration.registry.listenAddresses, configuration: wire)
        trainer = configuration.trainer.map {
            BackendConnection(role: "trainer", addresses: $0.listenAddresses, configuration: wire)
        }
        timeout = configuration.requestTimeout
    }

    /// Runs `body` with the predictor; errors become ``GatewayError``s.
    func withPredictor<T: Sendable>(_ body: (PredictorClient) async throws -> T) async throws -> T {
        try await with(predictor) { wire, _ in try await body(PredictorClient(wire: wire)) }
    }

    /// Runs `body` with the registry; errors become ``GatewayError``s.
    func withRegistry<T: Sendable>(_ body: (RegistryClient) async throws -> T) async throws -> T {
        try await with(registry) { wire, keys in try await body(RegistryClient(wire: wire, keys: keys)) }
    }

    /// Runs `body` with the trainer; 503 when the gateway was started without one.
    func withTrainer<T: Sendable>(_ body: (TrainerClient) async throws -> T) async throws -> T {
        guard let trainer else { throw GatewayError.noTrainer }
        return try await with(trainer) { wire, keys in try await body(TrainerClient(wire: wire, keys: keys)) }
    }

    /// Runs `body` on `connection`'s pool: balanced over the role's replicas; a call whose
    /// connection failed (or that a draining replica refused) is tried again — on another replica
    /// when there is one — and repeats its idempotency keys (`keys` starts over), so a write whose
    /// answer was lost is answered with its first outcome instead of being applied twice.
    func with<T: Sendable>(
        _ connection: BackendConnection, _ body: (WireClient, IdempotencyKeys) async throws -> T
    ) async throws -> T {
        try await connection.run(body)
    }

    /// Closes every connection.
    func close() async {
        await predictor.close()
        await registry.close()
        await trainer?.close()
    }
}
