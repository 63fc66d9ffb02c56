import Logging
import NIOCore
import Wire

/// What a role tells the scaffold about one of its opcodes.
public struct WireOperation: Sendable, Hashable {
    /// Whether the operation changes server state (then it needs the token when one is configured).
    public var mutating: Bool

    /// Creates an operation description.
    public init(mutating: Bool) { self.mutating = mutating }

    /// A read-only operation.
    public static let read = WireOperation(mutating: false)
    /// A state-changing operation.
    public static let write = WireOperation(mutating: true)
}

/// One request handed to a role: header fields and the undecoded body.
public struct WireRequest: Sendable {
    /// The opcode.
    public var opcode: Opcode
    /// The correlation id.
    public var correlationID: UInt32
    /// The body; decode it with the opcode's message type.
    public var body: ByteBuffer
    /// The key of a keyed request (wire.md §2.4), nil for a plain one. Roles that keep an
    /// idempotency ledger apply a keyed write at most once and answer repeats with the first outcome.
    public var idempotencyKey: IdempotencyKey?

    /// A request as the server hands it to the role.
    public init(opcode: Opcode, correlationID: UInt32, body: ByteBuffer, idempotencyKey: IdempotencyKey? = nil) {
        self.opcode = opcode
        self.correlationID = correlationID
        self.body = body
        self.idempotencyKey = idempotencyKey
    }
}

/// The connection a request arrived on, as far as a role needs to know.
public struct WireRequestContext: Sendable {
    /// Server-unique id of the connection.
    public var connectionID: UInt64
    /// Client name from Hello.
    public var clientName: String
    /// Whether the connection presented the token (or none is configured).
    public var authorized: Bool
    /// Allocator for response bodies.
    public var allocator: ByteBufferAllocator
    /// The connection's event loop (answer synchronously on it for the fast path).
    public var eventLoop: any EventLoop
    /// Logger with connection metadata.
    public var logger: Logger
    /// Limits announced in Hello.
    public var maxRows: Int
}

/// A role's answer: immediate (written on the event loop before the next frame is read) or
/// deferred (run as a task, answered whenever it finishes; counts against `maxInFlight`).
public enum WireReply: Sendable {
    /// A response body.
    case response(ByteBuffer)
    /// An error frame.
    case error(ErrorMessage)
    /// Slow work; its result must be `.response` or `.error`.
    case deferred(@Sendable () async -> WireReply)

    /// A response carrying `message`.
    public static func message<M: WireMessage>(_ message: M, allocator: ByteBufferAllocator) -> WireReply {
        var buffer = allocator.buffer(capacity: 32)
        message.encode(into: &buffer)
        return .response(buffer)
    }

    /// An error reply.
    public static func error(_ code: WireErrorCode, _ message: String, field: String? = nil) -> WireReply {
        .error(ErrorMessage(code: code, message: message, field: field))
    }
}

/// The role-specific part of a server. Hello, Ping, Stats, Health, Subscribe and Unsubscribe are
/// answered by the scaffold; everything else is offered to the role.
public protocol WireRequestHandler: Sendable {
    /// The role's description of `opcode`, or nil when the role does not serve it (→ `unknownOpcode`).
    func operation(for opcode: Opcode) -> WireOperation?

    /// Answers a request. Called on the connection's event loop: do only fast work here and return
    /// `.deferred` for anything slow or blocking.
    func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply

    /// The role's health for the Health opcode.
    func health() -> HealthResponse

    /// Called once when a connection closes (to drop per-connection state such as uploads).
    func connectionClosed(_ connectionID: UInt64)
}

extension WireRequestHandler {
    /// Serving, with no detail.
    public func health() -> HealthResponse { HealthResponse(status: .serving) }
    /// Nothing to clean up.
    public func connectionClosed(_ connectionID: UInt64) {}
}

/// A role with no opcodes of its own (the `base` diagnostic server).
public struct NoRoleHandler: WireRequestHandler {
    /// Creates the handler.
    public init() {}
    /// Serves nothing.
    public func operation(for opcode: Opcode) -> WireOperation? { nil }
    /// Never called.
    public func handle(_ request: WireRequest, context: WireRequestContext) -> WireReply {
        .error(.unknownOpcode, "opcode \(request.opcode.hex) is not served")
    }
}
