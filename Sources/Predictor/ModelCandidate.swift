import ChurnML

/// A bundle a ``ModelSource`` fetched and verified, not yet serving.
public struct ModelCandidate: Sendable {
    /// Model name.
    public var name: String
    /// Model version.
    public var version: String
    /// Hex SHA-256 of the bundle file's bytes.
    public var sha256: String
    /// Where it came from, for ModelInfo and logs.
    public var source: String
    /// The decoded, verified bundle.
    public var bundle: ModelBundle

    /// Creates a candidate.
    public init(name: String, version: String, sha256: String, source: String, bundle: ModelBundle) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.source = source
        self.bundle = bundle
    }
}
