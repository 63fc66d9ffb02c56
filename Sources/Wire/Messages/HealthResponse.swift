import NIOCore

/// Health response (wire.md §5.4). Body: `u8 status` (0 serving, 1 degraded, 2 draining), `string detail`.
public struct HealthResponse: WireMessage {
    /// The server's state.
    public enum Status: UInt8, Sendable, Hashable {
        /// Answering normally.
        case serving = 0
        /// Answering, but something is wrong (detail says what).
        case degraded = 1
        /// Shutting down: finishing in-flight requests, refusing new ones.
        case draining = 2
    }

    /// The state.
    public var status: Status
    /// Human-readable detail (empty when serving).
    public var detail: String

    /// Creates a Health response.
    public init(status: Status, detail: String = "") {
        self.status = status
        self.detail = detail
    }

    public init(from reader: inout WireReader) throws {
        let raw: UInt8 = try reader.integer("status")
        guard let status = Status(rawValue: raw) else {
            throw WireError.invalidValue(field: "status", value: UInt64(raw))
        }
        self.status = status
        detail = try reader.string("detail")
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(status.rawValue)
        buffer.writeWireString(detail)
    }
}
