import Wire

/// Turns what a registry operation throws into the wire error a client sees: a code, a one-line
/// message, and the request field at fault when there is one.
enum RegistryErrorMapping {
    /// The error frame for `error`.
    static func message(for error: any Error) -> ErrorMessage {
        switch error {
        case let message as ErrorMessage:
            return message
        case let error as WireError:
            return ErrorMessage(code: error.code, message: error.description, field: error.field)
        case let error as QueryError:
            return ErrorMessage(code: .invalidRequest, message: error.description, field: "query")
        case let error as RegistryError:
            return message(for: error)
        default:
            return ErrorMessage(code: .internal, message: "\(error)")
        }
    }

    /// The error frame for a storage error.
    static func message(for error: RegistryError) -> ErrorMessage {
        let text = error.description
        switch error {
        case .corrupted, .digestMismatch:
            return ErrorMessage(code: .checksumMismatch, message: text)
        case .blobNotFound:
            return ErrorMessage(code: .notFound, message: text, field: "sha256")
        case .notFound:
            return ErrorMessage(code: .notFound, message: text)
        case .invalidName(let kind, _, _):
            return ErrorMessage(code: .invalidRequest, message: text, field: kind.contains("alias") ? "alias" : "name")
        case .invalidDigest:
            return ErrorMessage(code: .invalidRequest, message: text, field: "sha256")
        case .invalidReference:
            return ErrorMessage(code: .invalidRequest, message: text, field: "reference")
        case .invalidArgument, .invalidDataset, .invalidBundle:
            return ErrorMessage(code: .invalidRequest, message: text)
        case .ambiguous, .versionAliased:
            return ErrorMessage(code: .conflict, message: text)
        case .directoryLocked, .io, .database:
            return ErrorMessage(code: .internal, message: text)
        case .unavailable:
            return ErrorMessage(code: .unavailable, message: text)
        }
    }
}
