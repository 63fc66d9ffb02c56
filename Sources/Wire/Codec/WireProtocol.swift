/// Constants of wire protocol v1, as specified in `Protocols/wire.md` §2 and §8.
public enum WireProtocol {
    /// The protocol version this implementation speaks (wire.md §2).
    public static let version: UInt8 = 1

    /// Every version this implementation can negotiate in Hello, lowest first.
    public static let supportedVersions: [UInt8] = [1]

    /// Size of the `u32` length prefix.
    public static let lengthFieldSize = 4

    /// Size of the fixed header after the length prefix: version, kind, opcode, correlation id.
    public static let headerSize = 8

    /// Largest frame (value of the length field) a server accepts before Hello completes.
    public static let maxFrameLengthBeforeHello = 4 * 1024

    /// Default largest frame after Hello; the server announces its own in `HelloResponse`.
    public static let defaultMaxFrameLength = 16 * 1024 * 1024

    /// Default maximum byte length of a string field.
    public static let maxStringLength = 64 * 1024

    /// Largest data payload of one blob chunk (upload or download).
    public static let maxBlobChunkLength = 1024 * 1024

    /// Largest number of topics in one Subscribe request.
    public static let maxTopics = 64

    /// Largest byte length of a topic name.
    public static let maxTopicLength = 256

    /// Largest byte length of the client name in Hello.
    public static let maxClientNameLength = 256

    /// Largest byte length of the token in Hello.
    public static let maxTokenLength = 4096

    /// Default IANA-unassigned TCP port for Churn services.
    public static let defaultPort = 7409
}
