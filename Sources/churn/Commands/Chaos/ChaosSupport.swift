import ArgumentParser
import Foundation
import ServiceKit
import Wire

/// Helpers shared by the `churn chaos` subcommands: addresses, token, JSON summary lines.
enum ChaosSupport {
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
        let endpoints: RegistryEndpoints
        do {
            endpoints = try RegistryEndpoints(parsing: text)
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

    /// A client configuration named `chaos-NAME` with `token`.
    static func configuration(name: String, token: String?, timeout: Double = 5) -> WireClientConfiguration {
        var configuration = WireClientConfiguration(clientName: "chaos-\(name)", token: token)
        configuration.requestTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.connectTimeout = .seconds(2)
        return configuration
    }

    /// Whether `error` means the connection is gone (reconnect) rather than a refusal by the server.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if let error = error as? WireClientError {
            switch error {
            case .server: return false
            case .connectionClosed, .timeout, .protocolViolation: return true
            case .blobMismatch: return false
            }
        }
        return true
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One JSON object from already-encoded values, in the given order.
    static func json(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// Writes `line` and a newline to standard output at once (safe to interleave with kills).
    static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
