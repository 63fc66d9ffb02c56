import ArgumentParser
import Logging
import Registry
import ServiceKit

/// `churn serve registry`: the model registry over the wire protocol, storing datasets and model
/// bundles in a data directory (content-addressed blobs plus an SQLite index).
struct ServeRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Serve the model registry (datasets, model versions, aliases, queries, events)."
    )

    @OptionGroup var options: ServeOptions

    @Option(name: .long, help: "Data directory (created when missing; one registry process at a time).")
    var dataDir: String

    @Option(name: .long, help: "Seconds an uploaded but unregistered blob is protected from gc.")
    var gcGrace: Double = 60

    func run() async throws {
        guard gcGrace >= 0 else { throw ValidationError("--gc-grace must not be negative") }
        let store: RegistryStore
        do {
            store = try RegistryStore(directory: dataDir)
        } catch let error as RegistryError {
            throw ValidationError("cannot open the registry: \(error)")
        }
        let handler = RegistryHandler(store: store, gcGraceMillis: Int64(gcGrace * 1000), logger: Logger(label: "churn.registry"))
        try await ServeRunner.run(
            options: options, role: "registry", handler: handler, defaultListen: "127.0.0.1:7400",
            prepare: { server in
                try await handler.attach(to: server.events, retention: server.configuration.eventRetention)
            })
    }
}
