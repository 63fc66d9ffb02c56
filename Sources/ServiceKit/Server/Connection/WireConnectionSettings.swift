import NIOCore
import Wire

/// The server-wide facts a ``WireConnectionStateMachine`` decides with: limits, token, role
/// identity and which opcodes the role serves.
///
/// Built once per server from ``ServerCore`` and copied into each connection, so the state machine
/// never reaches into shared objects and tests can construct it from plain values.
struct WireConnectionSettings: Sendable {
    /// Role name announced in Hello.
    var roleName: String
    /// Software version announced in Hello.
    var serverVersion: String
    /// Largest frame after Hello (announced; at least the pre-Hello limit).
    var maxFrameLength: UInt32
    /// Deferred requests one connection may have outstanding (enforced).
    var maxInFlight: Int
    /// The in-flight limit as announced in Hello (at least 1).
    var announcedMaxInFlight: UInt32
    /// Row limit announced in Hello and passed to the role.
    var maxRows: UInt32
    /// How long a connection may sit with nothing to do.
    var idleTimeout: TimeAmount
    /// The token check, nil when no token is configured (then every client is authorized).
    var tokenCheck: TokenCheck?
    /// The role's description of an opcode, nil when it does not serve it.
    var operation: @Sendable (Opcode) -> WireOperation?
}
