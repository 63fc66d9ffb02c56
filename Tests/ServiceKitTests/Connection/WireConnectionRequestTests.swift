import NIOCore
import Testing
import Wire

@testable import ServiceKit

/// Admission of role requests: opcode, token, in-flight limit, idempotency keys.
@Suite("Connection state machine: requests")
struct WireConnectionRequestTests {
    typealias Support = ConnectionMachineSupport

    @Test func writeOpcodesNeedTheToken() {
        var anonymous = Support.ready(token: "secret")
        #expect(!anonymous.authorized)
        #expect(anonymous.frameReceived(Support.frame(Support.writeOpcode)).action.sentErrorCode == .unauthorized)
        // Reads stay allowed without the token.
        #expect(anonymous.frameReceived(Support.frame(Support.readOpcode)).action.dispatched != nil)

        var trusted = Support.ready(token: "secret", presenting: "secret")
        #expect(trusted.authorized)
        #expect(
            trusted.frameReceived(Support.frame(Support.writeOpcode)).action.dispatched?.opcode == Support.writeOpcode)
    }

    @Test func wrongTokenClosesAtHello() {
        var machine = Support.machine(token: "secret")
        #expect(machine.frameReceived(Support.hello(token: "guess")).action.closingErrorCode == .unauthorized)
        #expect(machine.isClosing)
    }

    @Test func unservedOpcodeIsUnknown() {
        var machine = Support.ready()
        let decision = machine.frameReceived(Support.frame(Opcode(rawValue: 0x7777)))
        #expect(decision.action.sentErrorCode == .unknownOpcode)
        #expect(decision.count == .unknown)
    }

    @Test func inFlightLimitRefusesOnlyWhileFull() {
        var machine = Support.ready(maxInFlight: 2)
        machine.requestDeferred()
        machine.requestDeferred()
        #expect(machine.frameReceived(Support.frame(Support.readOpcode)).action.sentErrorCode == .tooManyInFlight)
        #expect(machine.deferredRequestFinished() == .write)
        #expect(machine.inFlight == 1)
        #expect(machine.frameReceived(Support.frame(Support.readOpcode)).action.dispatched != nil)
    }

    @Test func keyedRequestsCarryTheKeyAndTheRestOfTheBody() {
        var machine = Support.ready()
        let frame = Support.frame(Support.readOpcode, kind: .keyedRequest) {
            $0.writeMultipleIntegers(UInt64(1), UInt64(2))
            $0.writeString("abc")
        }
        let request = machine.frameReceived(frame).action.dispatched
        #expect(request?.idempotencyKey == IdempotencyKey(high: 1, low: 2))
        #expect(request?.body.readableBytes == 3)
        // Too short for a key, and common opcodes never take one.
        #expect(
            machine.frameReceived(Support.frame(Support.readOpcode, kind: .keyedRequest) { $0.writeInteger(UInt32(1)) })
                .action.sentErrorCode == .invalidRequest)
        #expect(
            machine.frameReceived(Support.frame(.ping, kind: .keyedRequest) { $0.writeInteger(UInt64(1)) }).action
                .sentErrorCode == .invalidRequest)
    }

    @Test func statsWithAMalformedBodyIsRefused() {
        var machine = Support.ready()
        guard case .answerStats(let id) = machine.frameReceived(Support.request(StatsRequest(), id: 4)).action else {
            Issue.record("expected a Stats answer")
            return
        }
        #expect(id == 4)
        #expect(machine.frameReceived(Support.frame(.stats) { $0.writeInteger(UInt8(1)) }).action.sentErrorCode != nil)
    }
}
