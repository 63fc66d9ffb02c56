import NIOCore

/// Hello request, opcode 0x0001 (wire.md §5.1): the first frame of every connection.
///
/// Body: `string clientName (≤ 256)`, `list<u8> versions (1…16)`, `optional<string> token (≤ 4096)`.
public struct HelloRequest: WireRequestMessage {
    public typealias Response = HelloResponse
    /// 0x0001.
    public static let opcode = Opcode.hello

    /// Free-form client name for logs.
    public var clientName: String
    /// Protocol versions the client speaks.
    public var versions: [UInt8]
    /// The shared token, when the client has one.
    public var token: String?

    /// Creates a Hello.
    public init(clientName: String, versions: [UInt8] = WireProtocol.supportedVersions, token: String? = nil) {
        self.clientName = clientName
        self.versions = versions
        self.token = token
    }

    public init(from reader: inout WireReader) throws {
        clientName = try reader.string("clientName", maxLength: WireProtocol.maxClientNameLength)
        versions = try reader.list("versions", maxCount: 16, minimumItemSize: 1) { try $0.integer("versions[]") }
        guard !versions.isEmpty else {
            throw WireError.invalidValue(field: "versions", value: 0)
        }
        token = try reader.optional("token") { try $0.string("token", maxLength: WireProtocol.maxTokenLength) }
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeWireString(clientName)
        buffer.writeWireList(versions) { $0.writeInteger($1) }
        buffer.writeWireOptional(token) { $0.writeWireString($1) }
    }
}
