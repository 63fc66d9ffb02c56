import ArgumentParser
import Foundation
import Wire

/// The registry options `churn-chaos crash-drill publish` accepts: the same flags as `churn`'s
/// registry commands (`--registry`, `--token-file`, `--json`), which it had when it was
/// `churn models crash-drill publish`. The drill publishes without a token and prints ack lines
/// only, so only `--registry` is used.
struct CrashDrillRegistryOptions: ParsableArguments {
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

    /// The registry replicas: `--registry`, else `CHURN_REGISTRY`, else 127.0.0.1:7400.
    func endpoints() throws -> RoleEndpoints {
        let text = registry ?? ProcessInfo.processInfo.environment["CHURN_REGISTRY"] ?? "127.0.0.1:7400"
        do {
            return try RoleEndpoints(parsing: text, role: "registry")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
