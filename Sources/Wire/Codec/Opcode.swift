/// The `u16` operation code of a frame (wire.md §4).
///
/// Ranges: 0x0000–0x00FF common to every role, 0x0100–0x01FF registry, 0x0200–0x02FF trainer,
/// 0x0300–0x03FF predictor. A struct rather than a closed enum so that role libraries can add
/// their opcodes in extensions and an unknown opcode from a peer is representable.
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public var rawValue: UInt16

    /// Wraps a raw opcode.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 0x0000: used only in connection-level error frames that answer no particular request.
    public static let none = Opcode(rawValue: 0x0000)
    /// 0x0001 Hello — wire.md §5.1.
    public static let hello = Opcode(rawValue: 0x0001)
    /// 0x0002 Ping — wire.md §5.2.
    public static let ping = Opcode(rawValue: 0x0002)
    /// 0x0003 Stats — wire.md §5.3.
    public static let stats = Opcode(rawValue: 0x0003)
    /// 0x0004 Health — wire.md §5.4.
    public static let health = Opcode(rawValue: 0x0004)
    /// 0x0010 Subscribe; also the opcode of every event frame — wire.md §6.1.
    public static let subscribe = Opcode(rawValue: 0x0010)
    /// 0x0011 Unsubscribe — wire.md §6.2.
    public static let unsubscribe = Opcode(rawValue: 0x0011)
    /// 0x0020 BlobUploadBegin — wire.md §7.1.
    public static let blobUploadBegin = Opcode(rawValue: 0x0020)
    /// 0x0021 BlobUploadChunk — wire.md §7.2.
    public static let blobUploadChunk = Opcode(rawValue: 0x0021)
    /// 0x0022 BlobUploadCommit — wire.md §7.3.
    public static let blobUploadCommit = Opcode(rawValue: 0x0022)
    /// 0x0023 BlobDownload — wire.md §7.4.
    public static let blobDownload = Opcode(rawValue: 0x0023)

    /// The opcodes answered by every role's server scaffold.
    public static let common: [Opcode] = [
        .hello, .ping, .stats, .health, .subscribe, .unsubscribe,
        .blobUploadBegin, .blobUploadChunk, .blobUploadCommit, .blobDownload,
    ]

    /// Whether the opcode lies in the common range 0x0000–0x00FF.
    public var isCommon: Bool { rawValue <= 0x00FF }

    /// A short lowercase name for logs and metric labels (bounded: role opcodes print as hex).
    public var name: String {
        switch self {
        case .none: "none"
        case .hello: "hello"
        case .ping: "ping"
        case .stats: "stats"
        case .health: "health"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        case .blobUploadBegin: "blob_upload_begin"
        case .blobUploadChunk: "blob_upload_chunk"
        case .blobUploadCommit: "blob_upload_commit"
        case .blobDownload: "blob_download"
        default: hex
        }
    }

    /// The opcode as `0x` plus four hex digits.
    public var hex: String {
        let digits = String(rawValue, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Same as ``name``.
    public var description: String { name }
}
