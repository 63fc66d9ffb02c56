import NIOCore

/// Hello response (wire.md §5.1): who the server is, the chosen version and its limits.
///
/// Body: `string role`, `u8 version`, `string serverVersion`, `u32 maxFrameLength`,
/// `u32 maxInFlight`, `u32 maxRows`, `bool authorized`.
public struct HelloResponse: WireMessage {
    /// Role name of the server (`base`, `registry`, `trainer`, `predictor`…).
    public var role: String
    /// The negotiated protocol version: every later frame carries it.
    public var version: UInt8
    /// Software version of the server.
    public var serverVersion: String
    /// Largest frame the server accepts from now on.
    public var maxFrameLength: UInt32
    /// Largest number of requests the client may have in flight on this connection.
    public var maxInFlight: UInt32
    /// Largest number of rows a single request may carry.
    public var maxRows: UInt32
    /// Whether the connection may call state-changing opcodes (token accepted, or none configured).
    public var authorized: Bool

    /// Creates a Hello response.
    public init(
        role: String, version: UInt8, serverVersion: String, maxFrameLength: UInt32, maxInFlight: UInt32,
        maxRows: UInt32, authorized: Bool
    ) {
        self.role = role
        self.version = version
        self.serverVersion = serverVersion
        self.maxFrameLength = maxFrameLength
        self.maxInFlight = maxInFlight
        self.maxRows = maxRows
        self.authorized = authorized
    }

    public init(from reader: inout WireReader) throws {
        role = try reader.string("role", maxLength: 256)
        version = try reader.integer("version")
        serverVersion = try reader.string("serverVersion", maxLength: 256)
        maxFrameLength = try reader.integer("maxFrameLength")
        maxInFlight = try reader.integer("maxInFlight")
        maxRows = try reader.integer("maxRows")
        authorized = try reader.bool("authorized")
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(role)
        buffer.writeInteger(version)
        buffer.writeWireString(serverVersion)
        buffer.writeMultipleIntegers(maxFrameLength, maxInFlight, maxRows)
        buffer.writeWireBool(authorized)
    }
}
