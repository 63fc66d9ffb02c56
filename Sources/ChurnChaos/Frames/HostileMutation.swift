/// One way ``HostileFrameGenerator`` damages a valid frame (or makes one up).
public enum HostileMutation: String, CaseIterable, Sendable {
    /// The template unchanged (a valid request among the hostile ones).
    case valid
    /// One to eight bits of the body flipped.
    case bitFlip
    /// One to eight body bytes set to random values.
    case byteSet
    /// A random 32-bit big-endian value written over the body at a random offset (a huge or
    /// absurd length or count prefix).
    case hugePrefix
    /// The body cut short at a random point (length field adjusted).
    case truncateBody
    /// Random bytes appended to the body (length field adjusted).
    case extendBody
    /// The body of one template under the header of another.
    case splice
    /// A random body of random size under a valid header.
    case randomBody
    /// The kind byte replaced (response, error, event or an unknown kind).
    case kindChange
    /// The opcode replaced by a random one.
    case opcodeChange
    /// The version byte replaced: breaks the stream (the server answers and closes).
    case versionChange
    /// A length field that does not match the bytes (too short, too long or huge): breaks framing.
    case badLength
    /// Random bytes with no frame structure at all: breaks framing.
    case randomBytes

    /// Whether a frame damaged this way leaves the byte stream intact, so the connection stays
    /// usable after the server's answer (wire.md §9); the others end the connection.
    public var keepsFraming: Bool {
        switch self {
        case .versionChange, .badLength, .randomBytes: false
        default: true
        }
    }
}
