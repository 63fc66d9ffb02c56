/// A host name that did not resolve.
public struct AddressResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name looked up.
    public var host: String
    /// The resolver's reason (`Name or service not known`, …).
    public var reason: String

    /// Creates the error for `host`.
    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }

    /// `cannot resolve predictor: Name or service not known`.
    public var description: String { "cannot resolve \(host): \(reason)" }
}
