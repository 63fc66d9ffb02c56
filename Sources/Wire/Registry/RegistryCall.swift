/// A registry request type: its opcode and the response type it is answered with. Both travel as
/// one ``JSONDocument`` (wire.md "Registry").
public protocol RegistryCall: Codable, Sendable {
    associatedtype Response: Codable & Sendable
    /// The opcode carried in the header.
    static var opcode: Opcode { get }
}

/// A list of records under one key (so every response is a JSON object that can grow fields).
public struct RegistryList<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// The records.
    public var items: [Item]

    /// Wraps records.
    public init(_ items: [Item]) { self.items = items }
}
