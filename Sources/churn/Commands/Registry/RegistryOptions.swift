import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// Options shared by every registry client command (`churn datasets …`, `churn models …`).
struct RegistryOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Registry address HOST:PORT, or replicas HOST:PORT,HOST:PORT… to balance and fail over between; a DNS name counts as one replica per address it resolves to (else CHURN_REGISTRY, else 127.0.0.1:7400)."
    )
    var registry: String?

    @Option(
        name: .long,
        help: "File holding the shared token (else CHURN_TOKEN; needed for writes when the registry has one).")
    var tokenFile: String?

    @Flag(name: .long, help: "Print the records as JSON instead of tables.")
    var json = false

    /// The registry replicas to use.
    func endpoints() throws -> RoleEndpoints {
        try ClientSession.endpoints(registry, role: "registry", variable: "CHURN_REGISTRY", fallback: "127.0.0.1:7400")
    }

    /// The token from `--token-file` or `CHURN_TOKEN`, if any.
    func token() throws -> String? {
        try ServeOptions.token(file: tokenFile)
    }

    /// Runs `body` on a connection to a registry replica (balanced across `--registry`, moving
    /// to another replica when a connection fails; keyed writes are re-sent with their keys, so
    /// they apply once); any failure is printed as one line on standard error and ends the
    /// command with exit status 1.
    func withClient<T: Sendable>(_ body: (RegistryClient) async throws -> T) async throws -> T {
        try await ClientSession.run(role: "registry", endpoints: try endpoints(), token: try token(), body)
    }

    /// Prints `error: message` on standard error and exits with status 1.
    static func fail(_ message: String) -> Never {
        ClientSession.fail(message)
    }

    /// Reads a whole local file.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read '\(path)'")
        }
        return [UInt8](data)
    }

    /// Writes a whole local file.
    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw ValidationError("cannot write '\(path)'")
        }
    }
}
