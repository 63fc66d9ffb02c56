import NIOCore

/// PredictorReload response (wire.md §13.4).
///
/// Body: `bool changed` (a different bundle was loaded and swapped in), `string model`,
/// `string version`, `u64 generation` — the model served after the reload.
public struct PredictorReloadResponse: WireMessage {
    /// Whether the model changed (false: the source still holds the bundle already served).
    public var changed: Bool
    /// Name of the model served now.
    public var model: String
    /// Version served now.
    public var version: String
    /// Generation served now (see ``ModelInfoResponse/generation``).
    public var generation: UInt64

    public init(changed: Bool, model: String, version: String, generation: UInt64) {
        self.changed = changed
        self.model = model
        self.version = version
        self.generation = generation
    }

    public init(from reader: inout WireReader) throws {
        changed = try reader.bool("changed")
        model = try reader.string("model", maxLength: 1024)
        version = try reader.string("version", maxLength: 1024)
        generation = try reader.integer("generation")
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireBool(changed)
        buffer.writeWireString(model)
        buffer.writeWireString(version)
        buffer.writeInteger(generation)
    }
}
