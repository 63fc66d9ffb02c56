import ChurnML
import Wire

/// Why a ``ModelSource`` could not produce a servable bundle. The model already serving (if any)
/// keeps serving; the error shows in Health and, for PredictorReload, in the error frame.
public enum ModelSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bundle could not be read or fetched (missing file, I/O error, registry unreachable…).
    case unreadable(source: String, reason: String)
    /// The bundle's content checksum does not match: it was damaged or altered.
    case checksumMismatch(source: String, reason: String)
    /// The bundle is not a valid model (structure, format version, inconsistent parts).
    case invalid(source: String, reason: String)
    /// The source designates no model yet (registry source: the alias is not set, or the model
    /// name has no versions). Not a refusal of a bundle: the source keeps looking.
    case noModel(source: String, reason: String)

    /// Classifies a `BundleError` raised while decoding the bytes of `source`.
    public init(_ error: BundleError, source: String) {
        switch error {
        case .io(_, let reason): self = .unreadable(source: source, reason: reason)
        case .checksumMismatch: self = .checksumMismatch(source: source, reason: error.description)
        default: self = .invalid(source: source, reason: error.description)
        }
    }

    /// Whether the source designates no model (as opposed to a bundle that failed).
    public var isNoModel: Bool {
        if case .noModel = self { return true }
        return false
    }

    /// The wire error code for PredictorReload (wire.md §13.4).
    public var code: WireErrorCode {
        switch self {
        case .unreadable: .notFound
        case .checksumMismatch: .checksumMismatch
        case .invalid: .conflict
        case .noModel: .notFound
        }
    }

    /// `source: reason` (`source: no model available: reason` for ``noModel(source:reason:)``).
    public var description: String {
        switch self {
        case .unreadable(let source, let reason), .checksumMismatch(let source, let reason),
            .invalid(let source, let reason):
            "\(source): \(reason)"
        case .noModel(let source, let reason):
            "\(source): no model available: \(reason)"
        }
    }
}
