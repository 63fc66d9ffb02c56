import Foundation

/// A fresh directory under the system temporary directory for a drill's registry. Tests remove it
/// with `defer { directory.remove() }`, which also keeps it alive to the end of the test.
final class TemporaryDirectory: Sendable {
    /// The directory path.
    let path: String

    /// Creates the directory.
    init() throws {
        path = NSTemporaryDirectory() + "churn-chaos-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
