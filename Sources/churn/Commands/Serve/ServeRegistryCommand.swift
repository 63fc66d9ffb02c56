import ArgumentParser
import Logging
import Registry
import ServiceKit

/// `churn serve registry`: the model registry over the wire protocol, storing datasets and model
/// bundles in a data directory (content-addressed blobs plus an SQLite index), or in PostgreSQL and
/// an S3-compatible bucket shared by any number of replicas (docs/scaling.md).
struct ServeRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Serve the model registry (datasets, model versions, aliases, queries, events).",
        discussion: """
            Embedded (default): --data-dir DIR. Scaled: --metadata postgres://… --blobs s3://… (any number of \
            replicas may share them; see docs/scaling.md).
            """
    )

    @OptionGroup var options: ServeOptions
    @OptionGroup var storage: RegistryStorageOptions

    @Option(name: .long, help: "Seconds an uploaded but unregistered blob is protected from gc.")
    var gcGrace: Double = 60

    func run() async throws {
        guard gcGrace >= 0 else { throw ValidationError("--gc-grace must not be negative") }
        try ServeRunner.bootstrap(options)
        let logger = Logger(label: "churn.registry")
        let role = RegistryRole(
            store: try await storage.open(logger: logger), gcGraceMillis: Int64(gcGrace * 1000), logger: logger)
        try await role.serving {
            try await ServeRunner.run(
                options: options, role: "registry", handler: role.handler, defaultListen: "127.0.0.1:7400",
                prepare: { try await role.attach(to: $0) })
        }
    }
}
