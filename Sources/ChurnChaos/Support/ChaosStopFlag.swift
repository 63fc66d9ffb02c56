import Foundation

/// A flag set once, read from any task.
package final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    /// Sets the flag.
    package func set() { lock.withLock { value = true } }

    /// Whether the flag is set.
    package var isSet: Bool { lock.withLock { value } }
}
