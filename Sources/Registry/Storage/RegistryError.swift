/// Why a registry operation failed. Every case carries enough to write a one-line message that a
/// client can show as it is (`description`).
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stored blob's bytes do not hash to its address: the file was damaged or altered on disk.
    case corrupted(sha256: String)
    /// Uploaded bytes do not hash to the digest the client announced.
    case digestMismatch(expected: String, actual: String)
    /// No blob is stored under this digest.
    case blobNotFound(sha256: String)
    /// A dataset, model, model version or alias name breaks the naming rules.
    case invalidName(kind: String, value: String, reason: String)
    /// A SHA-256 digest or digest prefix is not lower- or upper-case hex of the right length.
    case invalidDigest(String)
    /// A `name@…` reference could not be understood.
    case invalidReference(String)
    /// Some other argument is out of bounds (a tag value too long, a limit below zero…).
    case invalidArgument(String)
    /// The dataset bytes are not a readable CSV table.
    case invalidDataset(String)
    /// The bytes are not a valid Churn model bundle.
    case invalidBundle(String)
    /// Nothing matches the reference (`kind` says what was looked for).
    case notFound(kind: String, reference: String)
    /// A digest prefix matches more than one dataset.
    case ambiguous(reference: String, candidates: [String])
    /// The model version cannot be deleted while these aliases point at it.
    case versionAliased(name: String, version: Int, aliases: [String])
    /// Another process holds the data directory.
    case directoryLocked(path: String)
    /// A file-system operation failed.
    case io(path: String, reason: String)
    /// The index database failed.
    case database(String)
    /// A storage engine (PostgreSQL, the object store) cannot be reached or timed out; the
    /// operation did not happen and may be retried.
    case unavailable(String)

    /// A one-line explanation for people.
    public var description: String {
        switch self {
        case .corrupted(let sha256):
            return "blob \(sha256) is corrupted: its bytes no longer match its SHA-256"
        case .digestMismatch(let expected, let actual):
            return "upload rejected: the bytes hash to \(actual), not the announced \(expected)"
        case .blobNotFound(let sha256):
            return "no blob \(sha256) in the store"
        case .invalidName(let kind, let value, let reason):
            return "invalid \(kind) name \"\(RegistryError.abbreviated(value))\": \(reason)"
        case .invalidDigest(let value):
            return "\"\(RegistryError.abbreviated(value))\" is not a SHA-256 hex digest (or prefix of one)"
        case .invalidReference(let detail):
            return "invalid reference: \(detail)"
        case .invalidArgument(let detail):
            return "invalid argument: \(detail)"
        case .invalidDataset(let detail):
            return "invalid dataset: \(detail)"
        case .invalidBundle(let detail):
            return "invalid model bundle: \(detail)"
        case .notFound(let kind, let reference):
            return "\(kind) \"\(RegistryError.abbreviated(reference))\" not found"
        case .ambiguous(let reference, let candidates):
            return "\"\(reference)\" is ambiguous; it matches \(candidates.joined(separator: ", "))"
        case .versionAliased(let name, let version, let aliases):
            return "\(name)@\(version) cannot be deleted while aliases point at it: \(aliases.joined(separator: ", "))"
        case .directoryLocked(let path):
            return "data directory \(path) is in use by another registry process"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .database(let detail):
            return "registry index: \(detail)"
        case .unavailable(let detail):
            return "storage unavailable: \(detail)"
        }
    }

    /// Shortens client-sent text to at most 80 characters so one bad value cannot flood a log.
    static func abbreviated(_ value: String) -> String {
        value.count <= 80 ? value : String(value.prefix(77)) + "..."
    }
}
