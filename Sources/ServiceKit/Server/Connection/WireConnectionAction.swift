import NIOCore
import Wire

/// What ``WireConnectionHandler`` must do after ``WireConnectionStateMachine`` took an event.
///
/// Actions name channel work (frames to append to the batch, closes, timers) and calls into the
/// role or event hub, but carry no channel themselves: the state machine stays a value that tests
/// drive directly. No case is `indirect` and none boxes an existential, so returning one costs no
/// allocation on the per-frame path.
enum WireConnectionAction {
    /// Nothing to do.
    case none
    /// Append a Ping response echoing `payload`.
    case answerPing(correlationID: UInt32, payload: UInt64)
    /// Append the Hello response (frame version 1, wire.md §2.3), tag the logger with the client
    /// name and raise the frame limit to `response.maxFrameLength`.
    case answerHello(HelloResponse, correlationID: UInt32)
    /// Append a Stats response with the server's current counters.
    case answerStats(correlationID: UInt32)
    /// Append a Health response: `fixed` when the connection decides it (draining), else the role's.
    case answerHealth(correlationID: UInt32, fixed: HealthResponse?)
    /// Register subscription `subscriptionID` with the hub, then report back with
    /// ``WireConnectionStateMachine/subscriptionAdded(_:)`` and append the response or the error.
    case subscribe(SubscribeRequest, subscriptionID: UInt32)
    /// Remove `subscriptionID` from the hub (already forgotten by the state machine) and append the
    /// response, or `notFound` when the hub did not know it.
    case unsubscribe(subscriptionID: UInt32, correlationID: UInt32)
    /// Hand the request to the role; an immediate reply is appended, a deferred one is reported
    /// with ``WireConnectionStateMachine/requestDeferred()``.
    case dispatch(WireRequest)
    /// Append an error frame answering one request; the connection stays open.
    case sendError(ErrorMessage, opcode: Opcode, correlationID: UInt32)
    /// Append an error frame (connection-level when opcode is 0 and id 0), flush, then close.
    case closeWithError(ErrorMessage, opcode: Opcode, correlationID: UInt32)
    /// Flush what is batched, then close (graceful shutdown with nothing in flight).
    case closeAfterFlush
    /// Close at once without a frame (a timer decided the connection is dead or idle).
    case close(CloseReason)
    /// (Re)start the partial-frame deadline.
    case startPartialTimer
    /// Cancel the partial-frame deadline: every byte was decoded.
    case cancelPartialTimer
    /// Check again for idleness at the deadline.
    case scheduleIdleCheck(NIODeadline)

    /// Why a timer closed the connection (for the log).
    enum CloseReason: Equatable {
        /// A frame's first bytes arrived but its rest did not within the partial-frame timeout.
        case partialFrameTimeout
        /// Nothing arrived, nothing in flight and no subscription for the idle timeout.
        case idle
    }
}
