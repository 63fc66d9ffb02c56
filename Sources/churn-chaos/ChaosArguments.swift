import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// The command-line arguments the `churn-chaos` subcommands share: addresses and the token, with
/// argument errors that name the flag (kept out of the ChurnChaos library, which has no
/// command-line parser).
enum ChaosArguments {
    /// Parses HOST:PORT, naming the flag in the error.
    static func address(_ text: String, flag: String) throws -> ListenAddress {
        guard let address = ListenAddress(parsing: text) else {
            throw ValidationError("--\(flag) '\(text)' is not HOST:PORT")
        }
        return address
    }

    /// The registry to aim at from `--registry`, which (like every registry address setting) may
    /// list replicas `a:7400,b:7400`. The chaos tools drive and check one server on purpose, so
    /// they use the first address of the list and do not fail over.
    static func registryAddress(_ text: String) throws -> ListenAddress {
        let endpoints: RoleEndpoints
        do {
            endpoints = try RoleEndpoints(parsing: text, role: "registry")
        } catch {
            throw ValidationError("--registry: \(error)")
        }
        return ListenAddress(host: endpoints.first.host, port: endpoints.first.port)
    }

    /// The token of `--token-file` (trimmed), else `CHURN_TOKEN`, else nil.
    static func token(file: String?) throws -> String? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read token file '\(file)'")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("token file '\(file)' is empty") }
            return token
        }
        let value = ProcessInfo.processInfo.environment["CHURN_TOKEN"] ?? ""
        return value.isEmpty ? nil : value
    }
}
