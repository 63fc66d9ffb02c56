import NIOConcurrencyHelpers
import NIOCore

/// Hands work from other threads (deferred replies, events, drain requests) to a connection's event
/// loop only while the server's loops are alive: once closed, late work is dropped instead of being
/// scheduled on a shut-down loop.
final class LoopGate: Sendable {
    private let open = NIOLockedValueBox(true)

    /// Runs `work` on `loop` unless the gate is closed.
    func execute(on loop: any EventLoop, _ work: @escaping @Sendable () -> Void) {
        open.withLockedValue { isOpen in
            if isOpen { loop.execute(work) }
        }
    }

    /// Drops all later work; called before the event-loop group shuts down.
    func close() {
        open.withLockedValue { $0 = false }
    }
}
