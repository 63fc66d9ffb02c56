import NIOCore
import ServiceKit
import Wire

/// Settings of a ``Gateway``: where it listens, the roles it calls over the wire protocol, the
/// shared token and the limits it enforces on HTTP input.
public struct GatewayConfiguration: Sendable {
    /// HTTP address to listen on (port 0 picks a free one).
    public var listen: ListenAddress
    /// The predictor replicas (Predict, ModelInfo, Health): calls are balanced over those serving
    /// (all follow the same alias; every answer names its version).
    public var predictor: RoleEndpoints
    /// The registry replicas (models, datasets, aliases, bundles): calls are balanced over those
    /// serving, as the predictor's are; a dataset upload goes to the first that answers. A DNS
    /// name in any of these lists stands for every address it resolves to.
    public var registry: RoleEndpoints
    /// The trainer replicas, when there is a trainer: calls are balanced over those serving, as the
    /// predictor's are (SubmitJob and CancelJob carry idempotency keys, so a retry is applied once).
    public var trainer: RoleEndpoints?
    /// The shared token: sent in Hello to every role, and required from HTTP callers of writes
    /// (alias moves, promotion). No token: writes are open, as on the roles themselves.
    public var token: String?
    /// Largest HTTP request body accepted (JSON, form or CSV upload).
    public var maxBodyBytes: Int = 32 * 1024 * 1024
    /// Largest dataset file accepted by the streaming upload (`POST /api/v1/datasets`, the Datasets
    /// page); the file passes through in chunks, so this bounds the registry's disk, not gateway memory.
    public var maxUploadBytes: Int = 1 << 30
    /// Largest number of rows one prediction request (JSON or CSV) may carry.
    public var maxRows: Int = 100_000
    /// Largest number of explanation factors per row that may be asked for.
    public var maxExplain: Int = 64
    /// Timeout of one call to a role.
    public var requestTimeout: TimeAmount = .seconds(30)
    /// Timeout of connecting to a role (TCP plus Hello).
    public var connectTimeout: TimeAmount = .seconds(2)
    /// How long the served model's schema is cached before it is asked for again.
    public var schemaTTL: Duration = .seconds(5)

    /// Creates a configuration with the defaults above.
    public init(
        listen: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8080), predictor: RoleEndpoints,
        registry: RoleEndpoints, trainer: RoleEndpoints? = nil, token: String? = nil
    ) {
        self.listen = listen
        self.predictor = predictor
        self.registry = registry
        self.trainer = trainer
        self.token = token
    }
}
