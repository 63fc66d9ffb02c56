import Synchronization

/// A flag a job's training loop polls after every epoch; set from another task to stop it.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Asks the job to stop.
    func cancel() { value.store(true, ordering: .relaxed) }

    /// Whether the job was asked to stop.
    var isCancelled: Bool { value.load(ordering: .relaxed) }
}
