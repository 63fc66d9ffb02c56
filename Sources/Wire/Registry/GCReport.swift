/// What a garbage collection of unreferenced blobs found (and, unless it was a dry run, removed).
public struct GCReport: Sendable, Equatable, Codable {
    /// True when nothing was deleted.
    public var dryRun: Bool
    /// Digests of the blobs that no dataset or model version references, sorted.
    public var unreferenced: [String]
    /// Their total size in bytes.
    public var bytes: Int64
    /// Blobs still referenced (kept).
    public var kept: Int

    public init(
        dryRun: Bool, unreferenced: [String], bytes: Int64, kept: Int
    ) {
        self.dryRun = dryRun
        self.unreferenced = unreferenced
        self.bytes = bytes
        self.kept = kept
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case unreferenced, bytes, kept
    }
}
