/// One model name in a listing: its versions and aliases at a glance.
public struct ModelSummary: Sendable, Equatable, Codable {
    /// The model name.
    public var name: String
    /// How many versions exist (deleted ones excluded).
    public var versionCount: Int
    /// The highest existing version, nil when every version was deleted.
    public var latestVersion: Int?
    /// The version number the next publish will get.
    public var nextVersion: Int
    /// Alias → version.
    public var aliases: [String: Int]

    public init(
        name: String, versionCount: Int, latestVersion: Int?, nextVersion: Int, aliases: [String: Int]
    ) {
        self.name = name
        self.versionCount = versionCount
        self.latestVersion = latestVersion
        self.nextVersion = nextVersion
        self.aliases = aliases
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case name
        case versionCount = "version_count"
        case latestVersion = "latest_version"
        case nextVersion = "next_version"
        case aliases
    }
}
