/// A trainer request type: its opcode and the response type it is answered with. Both travel as
/// one ``JSONDocument`` (wire.md §14).
public protocol TrainerCall: Codable, Sendable {
    associatedtype Response: Codable & Sendable
    /// The opcode carried in the header.
    static var opcode: Opcode { get }
}
