/// No registry replica of a list could carry a call: every address was tried once and each
/// failed (refused the connection, timed out, or lost the connection).
public struct RegistryUnreachable: Error, Sendable, CustomStringConvertible {
    /// One address tried and why it failed.
    public struct Attempt: Sendable, Hashable {
        /// The address tried.
        public var endpoint: RoleEndpoint
        /// The failure, as one line.
        public var reason: String

        /// Creates an attempt record.
        public init(endpoint: RoleEndpoint, reason: String) {
            self.endpoint = endpoint
            self.reason = reason
        }
    }

    /// The addresses tried, in order, with their failures.
    public var attempts: [Attempt]

    /// The role whose replicas were tried (`registry`, `predictor`, `trainer`).
    public var role: String

    /// Creates the error from the attempts made at `role`'s replicas.
    public init(attempts: [Attempt], role: String = "registry") {
        self.attempts = attempts
        self.role = role
    }

    /// Whether a failure to connect is the server's own answer to Hello (`unauthorized`, a version
    /// mismatch…) that another replica would give too, so it is thrown as it is instead of trying
    /// the next address; `unavailable` (a draining or degraded replica) is not.
    public static func isRefusal(_ error: any Error) -> Bool {
        guard let code = (error as? WireClientError)?.serverCode else { return false }
        return code != .unavailable && code != .internal && code != .timeout
    }

    /// Whether a failure to reach one replica ends the walk over the others instead of trying
    /// the next: a refusal (``isRefusal(_:)``) every replica would give too, or the caller's own
    /// cancellation, which says nothing about the replica and must not eject it.
    public static func endsFailover(_ error: any Error) -> Bool {
        isRefusal(error) || error is CancellationError
    }

    /// `no registry answered: a:7400 (connection refused), b:7400 (connection closed)`.
    public var description: String {
        let tried = attempts.map { "\($0.endpoint) (\($0.reason))" }.joined(separator: ", ")
        return "no \(role) answered: \(tried)"
    }
}
