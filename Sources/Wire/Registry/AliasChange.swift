/// One entry of an alias's history: who moved it, when, from which version to which.
public struct AliasChange: Sendable, Equatable, Codable {
    /// The model name.
    public var name: String
    /// The alias.
    public var alias: String
    /// The version it pointed at before (nil when it was created).
    public var fromVersion: Int?
    /// The version it points at after (nil when it was removed).
    public var toVersion: Int?
    /// Who asked for the change (free text from the caller, e.g. a user or service name).
    public var who: String
    /// When, in milliseconds since the epoch.
    public var createdMillis: Int64

    /// When, ISO 8601 UTC.
    public var created: String { Timestamp.iso8601(millis: createdMillis) }

    public init(
        name: String, alias: String, fromVersion: Int?, toVersion: Int?, who: String, createdMillis: Int64
    ) {
        self.name = name
        self.alias = alias
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.who = who
        self.createdMillis = createdMillis
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case name, alias
        case fromVersion = "from"
        case toVersion = "to"
        case who
        case createdMillis = "created_ms"
    }
}
