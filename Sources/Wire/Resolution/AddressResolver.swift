/// Looks host names up: the seam through which ``WirePool`` and ``RegistryLink`` turn a name such
/// as `predictor` (three containers behind one DNS name) into one replica per address.
/// ``SystemAddressResolver`` (getaddrinfo) is the default; tests give their own answers.
public protocol AddressResolver: Sendable {
    /// The IP literals `host` resolves to now, in the resolver's order (duplicates allowed; the
    /// caller drops them). Throws when the name does not resolve.
    func addresses(of host: String) async throws -> [String]
}

/// An ``AddressResolver`` made of a function (tests, or callers with their own directory).
public struct ClosureAddressResolver: AddressResolver {
    private let lookup: @Sendable (String) async throws -> [String]

    /// A resolver that answers with `lookup(host)`.
    public init(_ lookup: @escaping @Sendable (String) async throws -> [String]) {
        self.lookup = lookup
    }

    /// `lookup(host)`.
    public func addresses(of host: String) async throws -> [String] {
        try await lookup(host)
    }
}
