/// The frame kind byte of the header (wire.md §2.2).
///
/// A struct rather than an enum so that an unknown value received from a peer is representable
/// and can be answered with an `unknownKind` error instead of trapping.
public struct FrameKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8

    /// Wraps a raw kind byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 0: a request from client to server.
    public static let request = FrameKind(rawValue: 0)
    /// 1: a successful response to the request with the same correlation id.
    public static let response = FrameKind(rawValue: 1)
    /// 2: an error answering the request with the same correlation id (or 0 for connection errors).
    public static let error = FrameKind(rawValue: 2)
    /// 3: a server-pushed event for the subscription whose Subscribe had this correlation id.
    public static let event = FrameKind(rawValue: 3)

    /// 4: a request whose body starts with a 16-byte ``IdempotencyKey`` (wire.md §2.4).
    public static let keyedRequest = FrameKind(rawValue: 4)

    /// Whether the value is one of the five kinds defined by v1.
    public var isKnown: Bool { rawValue <= 4 }

    /// A readable name.
    public var description: String {
        switch rawValue {
        case 0: "request"
        case 1: "response"
        case 2: "error"
        case 3: "event"
        case 4: "keyed request"
        default: "kind(\(rawValue))"
        }
    }
}
