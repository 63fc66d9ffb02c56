#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed POSIX file call: what was being done, to which path, and the `errno` it failed with,
/// so that each caller can word the failure in its own error type (``DataError`` for files a
/// person named, the registry's `RegistryError.io` for its blob store) without losing the cause.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or directory the call was about.
    public var path: String
    /// What was being done, e.g. `cannot sync directory`.
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// An error for `path` with the given `errno` value.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// The system's wording of ``code`` (`strerror`).
    public var reason: String { String(cString: strerror(code)) }

    /// `path: operation: reason`.
    public var description: String { "\(path): \(operation): \(reason)" }
}
