import NIOCore
import Wire

@testable import ServiceKit

/// Frames, settings and action accessors for driving ``WireConnectionStateMachine`` without a channel.
enum ConnectionMachineSupport {
    /// A read-only role opcode.
    static let readOpcode = Opcode(rawValue: 0x0300)
    /// A state-changing role opcode.
    static let writeOpcode = Opcode(rawValue: 0x0301)

    /// Settings of a role serving `readOpcode` and `writeOpcode`.
    static func settings(token: String? = nil, maxInFlight: Int = 2, idleTimeout: TimeAmount = .seconds(5))
        -> WireConnectionSettings
    {
        WireConnectionSettings(
            roleName: "test", serverVersion: "1.2.3", maxFrameLength: 1 << 20, maxInFlight: maxInFlight,
            announcedMaxInFlight: UInt32(maxInFlight), maxRows: 10, idleTimeout: idleTimeout,
            tokenCheck: token.map(TokenCheck.init(token:)),
            operation: { opcode in
                switch opcode {
                case readOpcode: .read
                case writeOpcode: .write
                default: nil
                }
            })
    }

    /// A fresh machine accepted at `now`.
    static func machine(token: String? = nil, maxInFlight: Int = 2, now: NIODeadline = .uptimeNanoseconds(0))
        -> WireConnectionStateMachine
    {
        WireConnectionStateMachine(settings: settings(token: token, maxInFlight: maxInFlight), now: now)
    }

    /// A frame with `body` bytes.
    static func frame(
        _ opcode: Opcode, id: UInt32 = 1, kind: FrameKind = .request, version: UInt8 = 1,
        body: (inout ByteBuffer) -> Void = { _ in }
    ) -> WireFrame {
        var buffer = ByteBuffer()
        body(&buffer)
        return WireFrame(
            header: FrameHeader(version: version, kind: kind, opcode: opcode, correlationID: id), body: buffer)
    }

    /// A request frame carrying `message`.
    static func request<M: WireRequestMessage>(_ message: M, id: UInt32 = 1) -> WireFrame {
        frame(M.opcode, id: id) { message.encode(into: &$0) }
    }

    /// A Hello request.
    static func hello(token: String? = nil, versions: [UInt8] = [1]) -> WireFrame {
        request(HelloRequest(clientName: "tester", versions: versions, token: token))
    }

    /// A machine past a successful Hello.
    static func ready(token: String? = nil, presenting: String? = nil, maxInFlight: Int = 2)
        -> WireConnectionStateMachine
    {
        var machine = Self.machine(token: token, maxInFlight: maxInFlight)
        _ = machine.frameReceived(hello(token: presenting))
        return machine
    }
}

extension WireConnectionAction {
    /// The code of an error answered without closing.
    var sentErrorCode: WireErrorCode? {
        if case .sendError(let error, _, _) = self { return error.code }
        return nil
    }

    /// The code of an error answered before closing.
    var closingErrorCode: WireErrorCode? {
        if case .closeWithError(let error, _, _) = self { return error.code }
        return nil
    }

    /// The request handed to the role.
    var dispatched: WireRequest? {
        if case .dispatch(let request) = self { return request }
        return nil
    }

    /// Whether the action is `.none`.
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}
