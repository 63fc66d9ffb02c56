import NIOCore
import Testing
import Wire

@testable import ServiceKit

/// Hello first (wire.md §5.1): version, limits and authorization are fixed by it.
@Suite("Connection state machine: handshake")
struct WireConnectionHandshakeTests {
    typealias Support = ConnectionMachineSupport

    @Test func helloAnswersWithLimitsAndMakesTheConnectionReady() {
        var machine = Support.machine()
        let decision = machine.frameReceived(Support.hello())
        guard case .answerHello(let response, let id) = decision.action else {
            Issue.record("expected a Hello response, got \(decision.action)")
            return
        }
        #expect(decision.count == .known)
        #expect(id == 1)
        #expect(response.role == "test" && response.serverVersion == "1.2.3" && response.version == 1)
        // The raised frame limit the handler applies to its frame buffer.
        #expect(response.maxFrameLength == 1 << 20 && response.maxInFlight == 2 && response.maxRows == 10)
        #expect(response.authorized)
        #expect(machine.phase == .ready)
        #expect(machine.clientName == "tester")
    }

    @Test func requestBeforeHelloIsRefusedAndCloses() {
        var machine = Support.machine()
        let decision = machine.frameReceived(Support.frame(.ping) { $0.writeInteger(UInt64(7)) })
        #expect(decision.action.closingErrorCode == .helloRequired)
        #expect(decision.count == .unknown)
        #expect(machine.isClosing)
        // Nothing after the close decision is acted on.
        #expect(machine.frameReceived(Support.hello()).action.isNone)
    }

    @Test func helloWithAnotherFrameVersionIsRefusedUncounted() {
        var machine = Support.machine()
        var hello = Support.hello()
        hello.header.version = 2
        let decision = machine.frameReceived(hello)
        #expect(decision.action.closingErrorCode == .unsupportedVersion)
        #expect(decision.count == .none)
    }

    @Test func helloOfferingNoSupportedVersionIsRefused() {
        var machine = Support.machine()
        #expect(machine.frameReceived(Support.hello(versions: [9])).action.closingErrorCode == .unsupportedVersion)
        #expect(machine.isClosing)
    }

    @Test func secondHelloCloses() {
        var machine = Support.ready()
        let decision = machine.frameReceived(Support.hello())
        #expect(decision.action.closingErrorCode == .helloRequired)
        #expect(decision.count == .known)
    }

    @Test func framesOfAnotherVersionAfterHelloClose() {
        var machine = Support.ready()
        let decision = machine.frameReceived(Support.frame(.ping, version: 2) { $0.writeInteger(UInt64(1)) })
        #expect(decision.action.closingErrorCode == .unsupportedVersion)
    }

    @Test func pingIsAnsweredWithItsPayloadAndABadBodyIsRefused() {
        var machine = Support.ready()
        guard
            case .answerPing(let id, let payload) = machine.frameReceived(
                Support.frame(.ping, id: 9) { $0.writeInteger(UInt64(42)) }
            ).action
        else {
            Issue.record("expected a Ping answer")
            return
        }
        #expect(id == 9 && payload == 42)
        #expect(
            machine.frameReceived(Support.frame(.ping) { $0.writeInteger(UInt32(1)) }).action.sentErrorCode
                == .invalidRequest)
        #expect(!machine.isClosing)
    }

    @Test func responseFramesFromAClientAreRefusedAsUnknownKind() {
        var machine = Support.ready()
        let decision = machine.frameReceived(Support.frame(.ping, kind: .response) { $0.writeInteger(UInt64(1)) })
        #expect(decision.action.sentErrorCode == .unknownKind)
        #expect(decision.count == .unknown)
    }
}
