/// A predictor instance's latest report of the model version it serves.
public struct Deployment: Sendable, Equatable, Codable {
    /// The reporting instance (e.g. `predictor@127.0.0.1:7500`).
    public var instance: String
    /// The model name it serves.
    public var name: String
    /// The version it serves.
    public var version: Int
    /// First report of this instance for this name, in milliseconds since the epoch.
    public var firstSeenMillis: Int64
    /// Latest report, in milliseconds since the epoch.
    public var lastSeenMillis: Int64

    /// Latest report, ISO 8601 UTC.
    public var lastSeen: String { Timestamp.iso8601(millis: lastSeenMillis) }

    public init(
        instance: String, name: String, version: Int, firstSeenMillis: Int64, lastSeenMillis: Int64
    ) {
        self.instance = instance
        self.name = name
        self.version = version
        self.firstSeenMillis = firstSeenMillis
        self.lastSeenMillis = lastSeenMillis
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case instance, name, version
        case firstSeenMillis = "first_seen_ms"
        case lastSeenMillis = "last_seen_ms"
    }
}
