import ArgumentParser
import Dispatch
import Foundation
import Logging
import Predictor
import ServiceKit
import ServiceLifecycle

/// `churn serve predictor`: serves one model bundle over the wire protocol (wire.md §13) —
/// Predict, ModelInfo, PredictorReload — and swaps to a new bundle without dropping a request.
///
/// The model comes from a ``ModelSource``: a file (`--model-file`), reloaded on SIGHUP, on
/// PredictorReload, and with `--poll-interval` when the file changes; or a registry alias
/// (`--registry ADDR --model NAME --alias ALIAS`), followed through the registry's events. The
/// first load happens before the server listens, so a predictor started with a valid bundle is
/// never seen without it.
struct ServePredictorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictor",
        abstract: "Serve predictions from a model bundle file or a registry alias (hot swap without dropping requests).",
        discussion: """
            Give exactly one model source: --model-file PATH or --registry HOST:PORT.

            File source: the model version is the first 12 hex digits of the bundle file's SHA-256. \
            Replace the file atomically (write elsewhere, then rename) and send SIGHUP, call \
            PredictorReload, or use --poll-interval.

            Registry source: serves the version NAME@ALIAS points at (default churn@production; the \
            version is the registry's version number) and follows alias moves as they happen. Until \
            the alias is set, or while the registry is unreachable at start, the predictor runs with \
            no model (Health says why, Predict answers unavailable) and keeps retrying. It reports \
            what it serves to the registry as --instance (default HOSTNAME:PORT), listed by \
            `churn models show NAME`; a registry with a token needs the same token (--token-file or \
            CHURN_TOKEN, which the predictor then also requires of its own clients).

            Either way, a bundle that fails verification is refused: the old one keeps serving and \
            Health turns degraded with the reason.
            """
    )

    @OptionGroup var options: ServeOptions

    @Option(name: .long, help: "The model bundle file to serve (not with --registry).")
    var modelFile: String?

    @Option(name: .long, help: "Model name in responses (with --model-file; default: the file name without extension).")
    var modelName: String?

    @Option(name: .long, help: "Seconds between checks of the model file for changes (with --model-file; default: no polling).")
    var pollInterval: Double?

    @Option(name: .long, help: ArgumentHelp("Serve the model a registry alias points at (not with --model-file).", valueName: "host:port"))
    var registry: String?

    @Option(name: .long, help: "Registry model name to serve (with --registry).")
    var model: String = RegistryModelSource.defaultName

    @Option(name: .long, help: "Registry alias to follow (with --registry).")
    var alias: String = RegistryModelSource.defaultAlias

    @Option(name: .long, help: "This predictor's name in the registry's deployment reports (with --registry; default: HOSTNAME:PORT).")
    var instance: String?

    @Option(name: .long, help: "Largest Predict (rows) answered on the event loop; larger ones run in a task.")
    var maxRowsOnLoop: Int = 1024

    func validate() throws {
        switch (modelFile, registry) {
        case (nil, nil): throw ValidationError("give a model source: --model-file PATH or --registry HOST:PORT")
        case (.some, .some): throw ValidationError("--model-file and --registry are mutually exclusive: give one model source")
        case (.some, nil):
            if instance != nil { throw ValidationError("--instance applies to --registry only") }
        case (nil, .some(let address)):
            if ListenAddress(parsing: address) == nil { throw ValidationError("--registry '\(address)' is not HOST:PORT") }
            if modelName != nil || pollInterval != nil {
                throw ValidationError("--model-name and --poll-interval apply to --model-file only (use --model with --registry)")
            }
            if model.isEmpty || alias.isEmpty { throw ValidationError("--model and --alias must not be empty") }
            if let instance, instance.isEmpty { throw ValidationError("--instance must not be empty") }
        }
        if let pollInterval, !(pollInterval > 0) { throw ValidationError("--poll-interval must be positive") }
        if maxRowsOnLoop < 0 { throw ValidationError("--max-rows-on-loop must not be negative") }
    }

    func run() async throws {
        let source: any ModelSource
        var registrySource: RegistryModelSource?
        if let registry, let address = ListenAddress(parsing: registry) {
            let followed = RegistryModelSource(
                host: address.host, port: address.port, name: model, alias: alias, instance: instance,
                token: try options.token())
            registrySource = followed
            source = followed
        } else {
            source = FileModelSource(path: modelFile ?? "", name: modelName, pollInterval: pollInterval)
        }
        let store = ModelStore()
        // Logging is bootstrapped by ServeRunner; the first load runs before that, so it logs
        // nothing itself and the outcome is logged by the service once logging is up.
        let loader = ModelLoader(source: source, store: store, logger: Logger(label: "churn.predictor", factory: { _ in SwiftLogNoOpLogHandler() }))
        let first = await loader.reload()
        let handler = PredictorHandler(store: store, loader: loader, maxRowsOnLoop: maxRowsOnLoop)
        let instanceGiven = instance != nil
        try await ServeRunner.run(
            options: options, role: "predictor", handler: handler,
            extraServices: [ModelFollowingService(loader: loader, firstLoad: first, registrySource: registrySource)],
            defaultListen: "127.0.0.1:7402",
            prepare: { server in
                // The default instance name needs the port actually bound (--listen may say 0).
                guard let registrySource, !instanceGiven else { return }
                Task {
                    guard let port = try? await server.listeningAddress.port else { return }
                    await registrySource.setInstance("\(Self.hostName()):\(port)")
                }
            })
    }

    /// This machine's host name (`localhost` when it cannot be read).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

/// Logs the first load, then reloads the model on SIGHUP and on every change its source signals,
/// until graceful shutdown.
private struct ModelFollowingService: Service {
    let loader: ModelLoader
    let firstLoad: Result<ModelLoader.Outcome, ModelSourceError>
    let registrySource: RegistryModelSource?

    func run() async throws {
        let logger = Logger(label: "churn.predictor")
        await loader.setLogger(logger)
        registrySource?.setLogger(logger)
        switch firstLoad {
        case .success(.changed(let model)), .success(.unchanged(let model)):
            logger.notice("serving model", metadata: [
                "model": "\(model.identity.name)", "version": "\(model.identity.version)", "source": "\(model.identity.source)",
            ])
        case .failure(let error):
            logger.error(
                "no model loaded; serving degraded until a valid bundle appears",
                metadata: ["source": "\(loader.source.description)", "reason": "\(error)"])
        }
        let loader = self.loader
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangup.setEventHandler {
            logger.info("SIGHUP: reloading the model")
            Task { await loader.reload() }
        }
        hangup.resume()
        defer { hangup.cancel() }
        await cancelWhenGracefulShutdown {
            await loader.followChanges()
            // A source without change notifications: stay until shutdown (SIGHUP still reloads).
            try? await gracefulShutdown()
        }
    }
}
