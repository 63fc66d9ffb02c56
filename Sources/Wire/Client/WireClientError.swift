import NIOCore

/// A failed client call.
public enum WireClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server answered with an error frame (wire.md §3).
    case server(code: WireErrorCode, message: String, field: String?)
    /// No answer within the request's timeout.
    case timeout(opcode: Opcode, after: TimeAmount)
    /// The connection closed before the answer arrived.
    case connectionClosed
    /// The server sent something this client cannot accept (the connection is closed).
    case protocolViolation(String)
    /// A downloaded blob did not match its digest, or its ranges did not add up.
    case blobMismatch(String)

    /// The error code when the server sent one.
    public var serverCode: WireErrorCode? {
        if case .server(let code, _, _) = self { return code }
        return nil
    }

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .server(let code, let message, let field):
            "server error \(code)(\(code.rawValue)): \(message)" + (field.map { " [field \($0)]" } ?? "")
        case .timeout(let opcode, let after):
            "no answer to \(opcode) within \(after.nanoseconds / 1_000_000) ms"
        case .connectionClosed:
            "connection closed"
        case .protocolViolation(let reason):
            "protocol violation: \(reason)"
        case .blobMismatch(let reason):
            "blob mismatch: \(reason)"
        }
    }
}
