/// The `u16` error codes carried by error frames (wire.md §3.2).
///
/// A struct so that a code added by a later version is still representable by an older client.
public struct WireErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public var rawValue: UInt16

    /// Wraps a raw code.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 1: the length field is below the header size, or the framing is otherwise broken. Closes.
    public static let malformedFrame = WireErrorCode(rawValue: 1)
    /// 2: the length field exceeds the receiver's current limit. Closes.
    public static let frameTooLarge = WireErrorCode(rawValue: 2)
    /// 3: the header's version is not the negotiated one, or Hello found no common version. Closes.
    public static let unsupportedVersion = WireErrorCode(rawValue: 3)
    /// 4: the opcode is not served by this role.
    public static let unknownOpcode = WireErrorCode(rawValue: 4)
    /// 5: the kind byte is not valid for a frame sent to a server.
    public static let unknownKind = WireErrorCode(rawValue: 5)
    /// 6: a frame other than Hello arrived before Hello completed, or Hello was repeated. Closes.
    public static let helloRequired = WireErrorCode(rawValue: 6)
    /// 7: the operation needs the token, or Hello carried a wrong token (which closes).
    public static let unauthorized = WireErrorCode(rawValue: 7)
    /// 8: the operation is not allowed on this server whatever the token.
    public static let forbidden = WireErrorCode(rawValue: 8)
    /// 9: the connection already has the maximum number of requests in flight.
    public static let tooManyInFlight = WireErrorCode(rawValue: 9)
    /// 10: the body could not be decoded or violates a limit; `field` names the culprit.
    public static let invalidRequest = WireErrorCode(rawValue: 10)
    /// 11: the named thing does not exist (or has expired from a bounded log).
    public static let notFound = WireErrorCode(rawValue: 11)
    /// 12: the request conflicts with the current state.
    public static let conflict = WireErrorCode(rawValue: 12)
    /// 13: the server cannot serve now (shutting down, too many connections, role not ready).
    public static let unavailable = WireErrorCode(rawValue: 13)
    /// 14: an unexpected failure inside the server.
    public static let `internal` = WireErrorCode(rawValue: 14)
    /// 15: the server gave up on the request after its own deadline.
    public static let timeout = WireErrorCode(rawValue: 15)
    /// 16: uploaded data did not match its announced SHA-256 or size.
    public static let checksumMismatch = WireErrorCode(rawValue: 16)
    /// 17: a count or size exceeds a limit announced by the server (for example max rows).
    public static let limitExceeded = WireErrorCode(rawValue: 17)

    /// Every code defined by v1, in order.
    public static let allDefined: [WireErrorCode] = (1...17).map { WireErrorCode(rawValue: $0) }

    /// A short camel-case name, as in the wire.md table.
    public var name: String {
        switch rawValue {
        case 1: "malformedFrame"
        case 2: "frameTooLarge"
        case 3: "unsupportedVersion"
        case 4: "unknownOpcode"
        case 5: "unknownKind"
        case 6: "helloRequired"
        case 7: "unauthorized"
        case 8: "forbidden"
        case 9: "tooManyInFlight"
        case 10: "invalidRequest"
        case 11: "notFound"
        case 12: "conflict"
        case 13: "unavailable"
        case 14: "internal"
        case 15: "timeout"
        case 16: "checksumMismatch"
        case 17: "limitExceeded"
        default: "error(\(rawValue))"
        }
    }

    /// Same as ``name``.
    public var description: String { name }
}
