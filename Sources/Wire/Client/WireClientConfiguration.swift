import NIOCore

/// Settings of a ``WireClient``.
public struct WireClientConfiguration: Sendable {
    /// Name sent in Hello.
    public var clientName: String = "churn-swift"
    /// Shared token sent in Hello, if any.
    public var token: String?
    /// Timeout for TCP connect plus Hello.
    public var connectTimeout: TimeAmount = .seconds(5)
    /// Default per-request timeout (nil: wait forever).
    public var requestTimeout: TimeAmount? = .seconds(30)
    /// Largest frame accepted from the server.
    public var maxFrameLength: Int = WireProtocol.defaultMaxFrameLength + 64 * 1024

    /// Creates a configuration with the defaults above.
    public init(clientName: String = "churn-swift", token: String? = nil) {
        self.clientName = clientName
        self.token = token
    }
}
