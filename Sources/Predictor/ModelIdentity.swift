/// Which model a predictor serves: name and version as its source defines them, the bundle's
/// SHA-256, and this process's load counter (wire.md §13.1).
public struct ModelIdentity: Sendable, Hashable, CustomStringConvertible {
    /// Model name (file source: `--model-name` or the file name without extension).
    public var name: String
    /// Model version (file source: the first 12 hex digits of `sha256`).
    public var version: String
    /// Hex SHA-256 of the bundle file's bytes.
    public var sha256: String
    /// Where the bundle came from (file path, registry alias…).
    public var source: String
    /// 1 for the first model this process loaded, +1 per swap.
    public var generation: UInt64
    /// When it was loaded, milliseconds since the Unix epoch.
    public var loadedAtMillis: UInt64

    /// Creates an identity.
    public init(
        name: String, version: String, sha256: String, source: String, generation: UInt64, loadedAtMillis: UInt64
    ) {
        self.name = name
        self.version = version
        self.sha256 = sha256
        self.source = source
        self.generation = generation
        self.loadedAtMillis = loadedAtMillis
    }

    /// `name version (generation g)`.
    public var description: String { "\(name) \(version) (generation \(generation))" }
}
