import Foundation

/// An access key pair (and optional session token) for signing object-store requests, read from
/// the standard AWS environment variables or from files (e.g. mounted secrets). Its `description`
/// never shows the secret.
struct S3Credentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key id.
    var accessKeyID: String
    /// The secret access key.
    var secretAccessKey: String
    /// A session token for temporary credentials.
    var sessionToken: String?

    /// Credentials given directly.
    init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN` from
    /// `environment`. Throws `invalidArgument` naming the missing variable.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> S3Credentials
    {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
                return nil
            }
            return text
        }
        let missing = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].filter { value($0) == nil }
        guard missing.isEmpty else {
            throw RegistryError.invalidArgument(
                "object store credentials: \(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") not set "
                    + "(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give key files)")
        }
        return S3Credentials(
            accessKeyID: value("AWS_ACCESS_KEY_ID")!, secretAccessKey: value("AWS_SECRET_ACCESS_KEY")!,
            sessionToken: value("AWS_SESSION_TOKEN"))
    }

    /// Reads the access key id and secret (and optionally a session token) from files, each trimmed
    /// of surrounding whitespace. Throws `io` naming a file that cannot be read or is empty.
    init(accessKeyFile: String, secretKeyFile: String, sessionTokenFile: String? = nil) throws {
        func read(_ path: String, _ what: String) throws -> String {
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.readFile(path)
            } catch let error as RegistryError {
                throw RegistryError.io(path: path, reason: "cannot read the object store \(what): \(error)")
            }
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                throw RegistryError.io(path: path, reason: "the object store \(what) file is empty")
            }
            return text
        }
        self.init(
            accessKeyID: try read(accessKeyFile, "access key id"),
            secretAccessKey: try read(secretKeyFile, "secret key"),
            sessionToken: try sessionTokenFile.map { try read($0, "session token") })
    }

    /// The access key id, with the secret and token redacted.
    var description: String {
        "S3Credentials(accessKeyID: \(accessKeyID), secret: <redacted>\(sessionToken == nil ? "" : ", session token: <redacted>"))"
    }
}
