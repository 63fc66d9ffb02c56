import ChurnLoad
import Foundation
import Wire

/// Helpers shared by the chaos drills (`churn-chaos …`): client settings, telling a lost connection
/// from a refusal, and the JSON summary lines they print.
package enum ChaosSupport {
    /// A client configuration named `chaos-NAME` with `token`.
    package static func configuration(name: String, token: String?, timeout: Double = 5) -> WireClientConfiguration {
        var configuration = WireClientConfiguration(clientName: "chaos-\(name)", token: token)
        configuration.requestTimeout = .milliseconds(Int64(timeout * 1000))
        configuration.connectTimeout = .seconds(2)
        return configuration
    }

    /// Whether `error` means the connection is gone (reconnect) rather than a refusal by the server.
    package static func isConnectionLoss(_ error: any Error) -> Bool {
        if let error = error as? WireClientError {
            switch error {
            case .server: return false
            case .connectionClosed, .timeout, .protocolViolation: return true
            case .blobMismatch: return false
            }
        }
        return true
    }

    /// A JSON string literal (``JSONLine/quoted(_:)``).
    package static func quoted(_ text: String) -> String {
        JSONLine.quoted(text)
    }

    /// One JSON object from already-encoded values, in the given order (``JSONLine/object(_:)``).
    package static func json(_ fields: [(String, String)]) -> String {
        JSONLine.object(fields)
    }

    /// Writes `line` and a newline to standard output at once (safe to interleave with kills).
    package static func emit(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
