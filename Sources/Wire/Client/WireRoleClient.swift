import NIOCore
import NIOPosix

/// A typed client of one role over one ``WireClient`` connection (``RegistryClient``,
/// ``TrainerClient``, ``PredictorClient``): how it connects and closes is the same for all.
public protocol WireRoleClient: Sendable {
    /// The underlying connection.
    var wire: WireClient { get }
    /// Wraps an open connection.
    init(wire: WireClient)
}

extension WireRoleClient {
    /// Connects to the role's server at `host:port`.
    public static func connect(
        host: String, port: Int, configuration: WireClientConfiguration = WireClientConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Self {
        Self(wire: try await WireClient.connect(host: host, port: port, configuration: configuration, group: group))
    }

    /// Closes the connection.
    public func close() async { await wire.close() }
}

extension WireClient {
    /// Sends one JSON control-plane request (the registry's and trainer's opcodes: one
    /// ``JSONDocument`` each way), keyed when `idempotencyKey` is set, and decodes the answer as
    /// `type`.
    public func callJSON<Response: Decodable>(
        _ request: some Encodable, opcode: Opcode, as type: Response.Type, timeout: TimeAmount? = nil,
        idempotencyKey: IdempotencyKey? = nil
    ) async throws -> Response {
        let body = try JSONDocument(encoding: request).encodedBody()
        let answer = try await self.request(
            opcode: opcode, body: body, timeout: timeout, idempotencyKey: idempotencyKey)
        return try Self.decodeJSONAnswer(answer, of: opcode, as: type)
    }

    /// Decodes a JSON answer to `opcode`; a malformed one is the server's protocol violation.
    public static func decodeJSONAnswer<Response: Decodable>(
        _ answer: ByteBuffer, of opcode: Opcode, as type: Response.Type
    ) throws -> Response {
        do {
            return try JSONDocument.decode(from: answer).decode(type)
        } catch {
            throw WireClientError.protocolViolation("\(opcode.hex) response: \(error)")
        }
    }
}
