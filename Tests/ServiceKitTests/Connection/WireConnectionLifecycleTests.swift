import NIOCore
import Testing
import Wire

@testable import ServiceKit

/// Draining, timers, subscriptions and close: the events that do not come from one frame.
@Suite("Connection state machine: lifecycle")
struct WireConnectionLifecycleTests {
    typealias Support = ConnectionMachineSupport

    @Test func drainingIdleConnectionClosesAtOnce() {
        var machine = Support.ready()
        guard case .closeAfterFlush = machine.drainRequested() else {
            Issue.record("an idle connection should close when draining begins")
            return
        }
        #expect(machine.isClosing)
    }

    @Test func drainingRefusesNewRequestsAndClosesAfterTheLastReply() {
        var machine = Support.ready()
        machine.requestDeferred()
        machine.requestDeferred()
        #expect(machine.drainRequested().isNone)
        #expect(!machine.isClosing)
        let refused = machine.frameReceived(Support.frame(Support.readOpcode))
        #expect(refused.action.sentErrorCode == .unavailable)
        // Health reports draining instead of asking the role; the scaffold's own opcodes still work.
        guard case .answerHealth(_, let fixed) = machine.frameReceived(Support.request(HealthRequest())).action else {
            Issue.record("expected a Health answer")
            return
        }
        #expect(fixed?.status == .draining)
        #expect(machine.deferredRequestFinished() == .write)
        #expect(machine.deferredRequestFinished() == .writeAndClose)
        #expect(machine.isClosing)
    }

    @Test func admittedWhileDrainingRefusesRequestsWithoutClosing() {
        var machine = Support.ready()
        machine.admittedWhileDraining()
        #expect(machine.frameReceived(Support.frame(Support.readOpcode)).action.sentErrorCode == .unavailable)
        #expect(!machine.isClosing)
    }

    @Test func repliesAfterCloseAreDiscarded() {
        var machine = Support.ready()
        machine.requestDeferred()
        _ = machine.channelInactive()
        #expect(machine.deferredRequestFinished() == .discard)
        #expect(machine.inFlight == 0)
    }

    @Test func partialFrameTimerStartsRestartsAndCancels() {
        var machine = Support.ready()
        guard case .startPartialTimer = machine.readFinished(.keptPartialFrame, decodedAny: false) else {
            Issue.record("a kept partial frame should start the deadline")
            return
        }
        // More bytes of the same frame do not extend the deadline ...
        #expect(machine.readFinished(.keptPartialFrame, decodedAny: false).isNone)
        // ... but a new frame started after a completed one does.
        guard case .startPartialTimer = machine.readFinished(.keptPartialFrame, decodedAny: true) else {
            Issue.record("a new partial frame should restart the deadline")
            return
        }
        guard case .cancelPartialTimer = machine.readFinished(.consumed, decodedAny: true) else {
            Issue.record("a completed frame should cancel the deadline")
            return
        }
        #expect(machine.readFinished(.consumed, decodedAny: true).isNone)
    }

    @Test func partialFrameTimeoutCloses() {
        var machine = Support.ready()
        _ = machine.readFinished(.keptPartialFrame, decodedAny: false)
        guard case .close(.partialFrameTimeout) = machine.partialTimerFired() else {
            Issue.record("the deadline should close the connection")
            return
        }
        #expect(machine.isClosing)
        #expect(machine.partialTimerFired().isNone)
    }

    @Test func overBudgetPartialFrameClosesUnavailable() {
        var machine = Support.ready()
        #expect(machine.readFinished(.overBudget, decodedAny: false).closingErrorCode == .unavailable)
        #expect(machine.isClosing)
    }

    @Test func idleCheckClosesOnlyAnIdleConnection() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var machine = WireConnectionStateMachine(settings: Support.settings(idleTimeout: .seconds(5)), now: start)
        #expect(machine.firstIdleCheck == start + .seconds(5))
        // Bytes arrived meanwhile: check again five seconds after them.
        let accepted = machine.bytesArrived(at: start + .seconds(3))
        #expect(accepted)
        guard case .scheduleIdleCheck(let next) = machine.idleTimerFired(now: start + .seconds(5)) else {
            Issue.record("a recently active connection should be checked again")
            return
        }
        #expect(next == start + .seconds(8))
        // Busy (a request in flight) is never idle.
        machine.requestDeferred()
        guard case .scheduleIdleCheck = machine.idleTimerFired(now: start + .seconds(60)) else {
            Issue.record("a connection with work in flight is not idle")
            return
        }
        _ = machine.deferredRequestFinished()
        guard case .close(.idle) = machine.idleTimerFired(now: start + .seconds(60)) else {
            Issue.record("an idle connection should close")
            return
        }
        let acceptedAfterClose = machine.bytesArrived(at: start + .seconds(61))
        #expect(!acceptedAfterClose)
    }

    @Test func partialFrameKeepsTheConnectionFromIdling() {
        let start = NIODeadline.uptimeNanoseconds(0)
        var machine = WireConnectionStateMachine(settings: Support.settings(idleTimeout: .seconds(1)), now: start)
        _ = machine.readFinished(.keptPartialFrame, decodedAny: false)
        guard case .scheduleIdleCheck = machine.idleTimerFired(now: start + .seconds(10)) else {
            Issue.record("a connection holding a partial frame is not idle")
            return
        }
    }

    @Test func subscriptionsAreTrackedRefusedTwiceAndDelivered() {
        var machine = Support.ready()
        let request = SubscribeRequest(topics: ["models"])
        guard case .subscribe(let decoded, let id) = machine.frameReceived(Support.request(request, id: 5)).action
        else {
            Issue.record("expected a subscribe action")
            return
        }
        #expect(decoded == request && id == 5)
        machine.subscriptionAdded(5)
        #expect(machine.frameReceived(Support.request(request, id: 5)).action.sentErrorCode == .conflict)
        #expect(machine.eventArrived(subscriptionID: 5, channelWritable: true) == .write)
        #expect(machine.eventArrived(subscriptionID: 6, channelWritable: true) == .discard)
        // A subscription keeps the connection from idling.
        guard case .scheduleIdleCheck = machine.idleTimerFired(now: .uptimeNanoseconds(0) + .seconds(3600)) else {
            Issue.record("a subscriber is not idle")
            return
        }
    }

    @Test func unsubscribeForgetsTheIdAndRefusesAnUnknownOne() {
        var machine = Support.ready()
        machine.subscriptionAdded(5)
        guard
            case .unsubscribe(let subscriptionID, let id) = machine.frameReceived(
                Support.request(UnsubscribeRequest(subscriptionID: 5), id: 8)
            ).action
        else {
            Issue.record("expected an unsubscribe action")
            return
        }
        #expect(subscriptionID == 5 && id == 8)
        #expect(machine.subscriptions.isEmpty)
        #expect(
            machine.frameReceived(Support.request(UnsubscribeRequest(subscriptionID: 5))).action.sentErrorCode
                == .notFound)
    }

    @Test func slowConsumerIsClosedAndInactiveReportsSubscriptions() {
        var slow = Support.ready()
        slow.subscriptionAdded(1)
        #expect(
            slow.eventArrived(subscriptionID: 1, channelWritable: false)
                == .closeSlowConsumer(ErrorMessage(code: .unavailable, message: "slow consumer")))
        #expect(slow.isClosing)
        let hadSubscriptions = slow.channelInactive()
        let hadSubscriptionsAgain = slow.channelInactive()
        #expect(hadSubscriptions && !hadSubscriptionsAgain)
    }

    @Test func malformedLengthClosesWithTheDecodersCode() {
        var machine = Support.ready()
        #expect(
            machine.decodingFailed(WireError.frameTooLarge(length: 1 << 30, limit: 4096)).closingErrorCode
                == WireError.frameTooLarge(length: 1 << 30, limit: 4096).code)
        // Only the first close decision produces a frame.
        #expect(machine.decodingFailed(WireError.frameTooShort(length: 2)).isNone)
    }
}
