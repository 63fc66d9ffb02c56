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
        let logger = Logger(label: "churn.registry")
        let store = try await storage.open(logger: logger)
        let handler = RegistryHandler(store: store, gcGraceMillis: Int64(gcGrace * 1000), logger: logger)
        do {
            try await ServeRunner.run(
                options: options, role: "registry", handler: handler, defaultListen: "127.0.0.1:7400",
                prepare: { server in
                    try await handler.attach(to: server.events, retention: server.configuration.eventRetention)
                })
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
