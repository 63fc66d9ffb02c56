import NIOCore
import Wire

/// The protocol state of one server connection and every decision about it (wire.md §5, §8, §9),
/// as a value with no channel.
///
/// Modelled on postgres-nio's `ConnectionStateMachine`: ``WireConnectionHandler`` reports events
/// (bytes arrived, a frame decoded, a read ended, a timer fired, a deferred request finished, an
/// event was published, shutdown began, the channel went inactive) and runs the
/// ``WireConnectionAction`` each returns. Which error code answers what, the limits, and when to
/// close live here, so they can be tested by driving the machine directly; the handler only does
/// channel work and calls into the role, hub and statistics.
struct WireConnectionStateMachine {
    /// Where the connection is in its life.
    enum Phase: Equatable {
        /// Only a Hello request is acceptable.
        case awaitingHello
        /// Hello done: requests are served.
        case ready
        /// A close was decided; further input and timers are ignored.
        case closing
    }

    /// Server-wide facts the decisions depend on.
    let settings: WireConnectionSettings
    /// Where the connection is in its life.
    private(set) var phase = Phase.awaitingHello
    /// The negotiated protocol version (frames of other versions are refused after Hello).
    private(set) var version: UInt8 = WireProtocol.version
    /// Whether state-changing opcodes are allowed (token presented, or none configured).
    private(set) var authorized = false
    /// Client name from Hello, handed to the role with each request.
    private(set) var clientName = ""
    /// Deferred requests not yet answered (bounded by the in-flight limit; keep the connection busy).
    private(set) var inFlight = 0
    /// Ids of this connection's live subscriptions.
    private(set) var subscriptions: Set<UInt32> = []
    /// Set by graceful shutdown: refuse new role requests, close once nothing is in flight.
    private(set) var draining = false
    /// When bytes last arrived (idle timeout).
    private(set) var lastRead: NIODeadline
    /// Whether the partial-frame deadline is running.
    private(set) var partialTimerRunning = false
    /// Whether an incomplete frame is kept between reads (the connection is then not idle).
    private(set) var holdsPartialFrame = false

    /// A fresh connection accepted at `now`.
    init(settings: WireConnectionSettings, now: NIODeadline) {
        self.settings = settings
        self.lastRead = now
    }

    /// Whether a close was decided (input and timers are then ignored).
    var isClosing: Bool { phase == .closing }

    // MARK: Reads

    /// Bytes arrived at `now`; false when the connection is closing and they are to be ignored.
    mutating func bytesArrived(at now: NIODeadline) -> Bool {
        guard phase != .closing else { return false }
        lastRead = now
        return true
    }

    /// The frame buffer rejected the stream (bad length): answer with its code and close.
    mutating func decodingFailed(_ error: any Error) -> WireConnectionAction {
        if let wire = error as? WireError {
            return closeWithError(wire.code, wire.description)
        }
        return closeWithError(.malformedFrame, "\(error)")
    }

    /// A read ended. `kept` says what the frame buffer did with the rest; `decodedAny` whether a
    /// whole frame was decoded in this read (then the partial-frame deadline restarts).
    mutating func readFinished(_ kept: WireFrameBuffer.ReadEnd, decodedAny: Bool) -> WireConnectionAction {
        guard phase != .closing else { return .none }
        switch kept {
        case .consumed:
            holdsPartialFrame = false
            guard partialTimerRunning else { return .none }
            partialTimerRunning = false
            return .cancelPartialTimer
        case .keptPartialFrame:
            holdsPartialFrame = true
            guard decodedAny || !partialTimerRunning else { return .none }
            partialTimerRunning = true
            return .startPartialTimer
        case .overBudget:
            holdsPartialFrame = false
            return closeWithError(.unavailable, "server-wide partial-frame memory budget exhausted")
        }
    }

    // MARK: Timers

    /// The partial-frame deadline passed before the frame was completed: close.
    mutating func partialTimerFired() -> WireConnectionAction {
        partialTimerRunning = false
        guard phase != .closing else { return .none }
        close()
        return .close(.partialFrameTimeout)
    }

    /// The idle check fired at `now`: close a connection with nothing to do for the idle timeout,
    /// otherwise check again when it could next be idle.
    mutating func idleTimerFired(now: NIODeadline) -> WireConnectionAction {
        guard phase != .closing else { return .none }
        let busy = inFlight > 0 || !subscriptions.isEmpty || holdsPartialFrame
        if !busy && now - lastRead >= settings.idleTimeout {
            close()
            return .close(.idle)
        }
        return .scheduleIdleCheck(max(lastRead + settings.idleTimeout, now + .milliseconds(10)))
    }

    /// When the first idle check is due.
    var firstIdleCheck: NIODeadline { lastRead + settings.idleTimeout }

    // MARK: Deferred requests

    /// The role deferred a dispatched request: it now counts against the in-flight limit.
    mutating func requestDeferred() {
        inFlight += 1
    }

    /// What to do with the reply of a deferred request that just finished.
    enum ReplyDelivery: Equatable {
        /// The connection is closing: drop the reply.
        case discard
        /// Append the reply and flush.
        case write
        /// Append the reply, flush, and close: it was the last one a draining connection waited for.
        case writeAndClose
    }

    /// A deferred request finished.
    mutating func deferredRequestFinished() -> ReplyDelivery {
        inFlight -= 1
        guard phase != .closing else { return .discard }
        if draining && inFlight == 0 {
            close()
            return .writeAndClose
        }
        return .write
    }

    // MARK: Handshake and subscriptions

    /// Hello succeeded: version, authorization and client name are fixed and requests are served.
    mutating func helloAccepted(version: UInt8, authorized: Bool, clientName: String) {
        self.version = version
        self.authorized = authorized
        self.clientName = clientName
        phase = .ready
    }

    /// Forgets subscription `id`; false when the connection had none by that id.
    mutating func subscriptionRemoved(_ id: UInt32) -> Bool {
        subscriptions.remove(id) != nil
    }

    /// The hub accepted subscription `id`.
    mutating func subscriptionAdded(_ id: UInt32) {
        subscriptions.insert(id)
    }

    /// What to do with an event published to one of this connection's subscriptions.
    enum EventDelivery: Equatable {
        /// Closing, or the subscription is gone: drop it.
        case discard
        /// Append the event frame (with the negotiated version) and flush.
        case write
        /// The subscriber stopped reading: run the close action (`unavailable`, slow consumer).
        case closeSlowConsumer(ErrorMessage)
    }

    /// An event for `subscriptionID` arrived; `channelWritable` says whether the peer keeps up.
    mutating func eventArrived(subscriptionID: UInt32, channelWritable: Bool) -> EventDelivery {
        guard phase != .closing, subscriptions.contains(subscriptionID) else { return .discard }
        guard channelWritable else {
            close()
            return .closeSlowConsumer(ErrorMessage(code: .unavailable, message: "slow consumer"))
        }
        return .write
    }

    /// The `notFound` answer to an Unsubscribe of an unknown id.
    static func noSubscription(_ id: UInt32) -> ErrorMessage {
        ErrorMessage(code: .notFound, message: "no subscription \(id)", field: "subscriptionID")
    }

    // MARK: Shutdown and close

    /// Graceful shutdown began: refuse new role requests; close now if nothing is in flight.
    mutating func drainRequested() -> WireConnectionAction {
        draining = true
        guard phase != .closing, inFlight == 0 else { return .none }
        close()
        return .closeAfterFlush
    }

    /// The server began draining while this connection was being registered: refuse new role
    /// requests from the start (the shutdown closes the connection when its grace period ends).
    mutating func admittedWhileDraining() {
        draining = true
    }

    /// The channel went inactive. Returns whether the hub still holds subscriptions to remove.
    mutating func channelInactive() -> Bool {
        phase = .closing
        partialTimerRunning = false
        holdsPartialFrame = false
        let hadSubscriptions = !subscriptions.isEmpty
        subscriptions.removeAll()
        return hadSubscriptions
    }

    /// Decides a close with an error frame; `.none` when already closing.
    mutating func closeWithError(
        _ code: WireErrorCode, _ message: String, opcode: Opcode = .none, correlationID: UInt32 = 0
    ) -> WireConnectionAction {
        guard phase != .closing else { return .none }
        close()
        return .closeWithError(ErrorMessage(code: code, message: message), opcode: opcode, correlationID: correlationID)
    }

    /// Enters `closing`; the partial frame and its deadline are dropped with the connection.
    private mutating func close() {
        phase = .closing
        partialTimerRunning = false
        holdsPartialFrame = false
    }
}
