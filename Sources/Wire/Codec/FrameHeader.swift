/// The fixed 8-byte header that follows the length prefix of every frame (wire.md §2.1).
public struct FrameHeader: Hashable, Sendable {
    /// Protocol version byte; 1 for Hello frames and the negotiated version afterwards.
    public var version: UInt8
    /// Frame kind.
    public var kind: FrameKind
    /// Operation code.
    public var opcode: Opcode
    /// Correlation id chosen by the client; echoed by responses, errors and events.
    public var correlationID: UInt32

    /// Creates a header.
    public init(version: UInt8 = WireProtocol.version, kind: FrameKind, opcode: Opcode, correlationID: UInt32) {
        self.version = version
        self.kind = kind
        self.opcode = opcode
        self.correlationID = correlationID
    }
}
