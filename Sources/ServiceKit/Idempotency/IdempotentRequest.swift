import NIOCore
import Wire

/// A keyed write being served (wire.md §2.4): its key, opcode and a digest of its body, as a
/// role's store records them with the write's outcome in the write's own transaction.
///
/// The role binds it to ``current`` (a task-local) around the write; the store that commits the
/// write reads it there and records `key → (opcode, request digest, outcome)` before committing,
/// or finds the key already recorded and throws ``IdempotentReplay`` with the first outcome
/// instead of applying the write again. Recording in the same transaction means that "applied"
/// and "remembered" cannot come apart, whichever replica a retry reaches.
public struct IdempotentRequest: Sendable, Equatable {
    /// How long the ledger keeps an entry (a retry later than this applies the write again).
    public static let retentionMillis: Int64 = 24 * 3600 * 1000

    /// The write being served on this task, if keyed.
    @TaskLocal public static var current: IdempotentRequest?

    /// The key, as 32 hex digits.
    public var key: String
    /// The opcode.
    public var opcode: UInt16
    /// SHA-256 (hex) of the request body after the key.
    public var requestSHA256: String

    /// The entry for a keyed request.
    public init(key: IdempotencyKey, opcode: Opcode, body: ByteBuffer) {
        self.key = key.description
        self.opcode = opcode.rawValue
        requestSHA256 = BlobDigest(hashing: body).hex
    }

    /// An entry as stored.
    public init(key: String, opcode: UInt16, requestSHA256: String) {
        self.key = key
        self.opcode = opcode
        self.requestSHA256 = requestSHA256
    }

    /// The replay of `stored` (an entry found under this key, with its outcome): throws
    /// `invalidRequest` when the key was first used for another request.
    public func replay(of stored: IdempotentRequest, outcome: String) throws -> IdempotentReplay {
        try verify(matches: stored)
        return IdempotentReplay(outcome: outcome)
    }

    /// Throws `invalidRequest` unless `stored` (the entry found under this key) is this request.
    public func verify(matches stored: IdempotentRequest) throws {
        guard stored == self else {
            throw ErrorMessage(
                code: .invalidRequest,
                message:
                    "idempotency key \(key) was first used for another request (opcode \(Opcode(rawValue: stored.opcode).hex)); use a new key for a new write",
                field: "idempotencyKey")
        }
    }

    /// The first outcome's JSON text for `result` (what the role answers: the result encoded as a
    /// ``JSONDocument``).
    public static func outcome(_ result: some Encodable) throws -> String {
        String(buffer: try JSONDocument(encoding: result).json)
    }
}

/// Thrown by a store instead of applying a keyed write again: the write was applied before, and
/// `outcome` is the JSON document answered the first time.
public struct IdempotentReplay: Error, Sendable {
    /// The first answer's JSON text.
    public var outcome: String

    /// The answer, as a JSON document.
    public var document: JSONDocument {
        JSONDocument(json: ByteBuffer(string: outcome))
    }
}
