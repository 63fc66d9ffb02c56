import ServiceKit
import Synchronization
import Wire

/// One subscriber of `churn-chaos replicas`: follows every registry event from sequence 1 on ONE
/// replica (reconnecting to it, and resuming after the last sequence seen, whenever it restarts)
/// and records the sequence numbers in arrival order.
package final class ChaosReplicaSubscriber: Sendable {
    /// The replica followed.
    package let address: ListenAddress
    private let seen = Mutex<[UInt64]>([])
    private let failure = Mutex<String?>(nil)

    /// A subscriber of the replica at `address`.
    package init(address: ListenAddress) {
        self.address = address
    }

    /// Follows until cancelled (or until the replica refuses the subscription for good).
    package func follow() async {
        var configuration = ChaosSupport.configuration(name: "replica-subscriber", token: nil, timeout: 10)
        configuration.connectTimeout = .seconds(1)
        var subscriber = WireSubscriber(
            host: address.host, port: address.port, topics: EventKind.allCases.map(\.rawValue),
            configuration: configuration)
        subscriber.maxBackoff = .milliseconds(500)
        do {
            for try await event in subscriber.events(fromSequence: 1) {
                seen.withLock { $0.append(event.sequence) }
            }
        } catch {
            failure.withLock { $0 = "\(error)" }
        }
    }

    /// The sequences received, in arrival order.
    package var sequences: [UInt64] {
        seen.withLock { $0 }
    }

    /// Why the subscription ended, if it did.
    package var endedWith: String? {
        failure.withLock { $0 }
    }
}
