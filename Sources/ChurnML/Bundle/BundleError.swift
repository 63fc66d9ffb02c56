/// Why a model file could not be read or written.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// The bytes are not a valid safetensors file.
    case container(String)
    /// The file is a safetensors file but not a Churn model.
    case notAModel(String)
    /// The file was written by a bundle format this build does not read.
    case unsupportedVersion(found: String, supported: Int)
    /// The recorded content checksum does not match the content: the file was altered or damaged.
    case checksumMismatch(expected: String, actual: String)
    /// A part of the model is missing or inconsistent with the rest.
    case inconsistent(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .container(let detail):
            return "not a valid model file: \(detail)"
        case .notAModel(let detail):
            return "not a Churn model file: \(detail)"
        case .unsupportedVersion(let found, let supported):
            return "unsupported model format version \(found) (this build reads version \(supported))"
        case .checksumMismatch(let expected, let actual):
            return
                "model file is damaged or was altered: content checksum \(actual) does not match the recorded \(expected)"
        case .inconsistent(let detail):
            return "inconsistent model file: \(detail)"
        }
    }
}
