/// What happened, in the event log.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    /// A dataset was pushed (payload: `sha256`, `size`, `rows`, `columns`).
    case datasetPushed = "dataset.pushed"
    /// A model version was published (payload: `version`, `bundle_sha256`, `dataset_sha256`, `metrics`).
    case modelPublished = "model.published"
    /// An alias was set, moved or removed (payload: `alias`, `from`, `to`, `who`; null for none).
    case aliasMoved = "alias.moved"
    /// A model version was deleted (payload: `version`, `bundle_sha256`, `who`).
    case modelDeleted = "model.deleted"
}

/// One entry of the registry's ordered event log. Sequence numbers increase strictly with every
/// committed change; a subscriber that remembers the last one it saw resumes with
/// `RegistryStore.events(after:)` and misses nothing.
public struct RegistryEvent: Sendable, Equatable, Codable {
    /// The position in the log (1, 2, …; strictly increasing, never reused).
    public var sequence: Int64
    /// What happened.
    public var kind: EventKind
    /// The dataset or model name it happened to.
    public var name: String
    /// Details, as a JSON object.
    public var payload: String
    /// When, in milliseconds since the epoch.
    public var createdMillis: Int64

    /// When, ISO 8601 UTC.
    public var created: String { Timestamp.iso8601(millis: createdMillis) }

    public init(
        sequence: Int64, kind: EventKind, name: String, payload: String, createdMillis: Int64
    ) {
        self.sequence = sequence
        self.kind = kind
        self.name = name
        self.payload = payload
        self.createdMillis = createdMillis
    }

    /// The JSON keys.
    enum CodingKeys: String, CodingKey {
        case sequence = "seq"
        case kind, name, payload
        case createdMillis = "created_ms"
    }
}
