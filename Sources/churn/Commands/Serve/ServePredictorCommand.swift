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
/// The model comes from a ``ModelSource``; today a file (`--model-file`), reloaded on SIGHUP, on
/// PredictorReload, and with `--poll-interval` when the file changes. The first load happens
/// before the server listens, so a predictor started with a valid bundle is never seen without it.
struct ServePredictorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictor",
        abstract: "Serve predictions from a model bundle (hot swap on SIGHUP, PredictorReload or file change).",
        discussion: """
            The model version is the first 12 hex digits of the bundle file's SHA-256. Replace the file \
            atomically (write elsewhere, then rename) and send SIGHUP, call PredictorReload, or use \
            --poll-interval. A bundle that fails verification is refused: the old one keeps serving and \
            Health turns degraded with the reason.
            """
    )

    @OptionGroup var options: ServeOptions

    @Option(name: .long, help: "The model bundle to serve.")
    var modelFile: String

    @Option(name: .long, help: "Model name in responses (default: the file name without extension).")
    var modelName: String?

    @Option(name: .long, help: "Seconds between checks of the model file for changes (default: no polling).")
    var pollInterval: Double?

    @Option(name: .long, help: "Largest Predict (rows) answered on the event loop; larger ones run in a task.")
    var maxRowsOnLoop: Int = 1024

    func validate() throws {
        if let pollInterval, !(pollInterval > 0) { throw ValidationError("--poll-interval must be positive") }
        if maxRowsOnLoop < 0 { throw ValidationError("--max-rows-on-loop must not be negative") }
    }

    func run() async throws {
        let source = FileModelSource(path: modelFile, name: modelName, pollInterval: pollInterval)
        let store = ModelStore()
        // Logging is bootstrapped by ServeRunner; the first load runs before that, so it logs
        // nothing itself and the outcome is logged by the service once logging is up.
        let loader = ModelLoader(source: source, store: store, logger: Logger(label: "churn.predictor", factory: { _ in SwiftLogNoOpLogHandler() }))
        let first = await loader.reload()
        let handler = PredictorHandler(store: store, loader: loader, maxRowsOnLoop: maxRowsOnLoop)
        try await ServeRunner.run(
            options: options, role: "predictor", handler: handler,
            extraServices: [ModelFollowingService(loader: loader, firstLoad: first)])
    }
}

/// Logs the first load, then reloads the model on SIGHUP and on every change its source signals,
/// until graceful shutdown.
private struct ModelFollowingService: Service {
    let loader: ModelLoader
    let firstLoad: Result<ModelLoader.Outcome, ModelSourceError>

    func run() async throws {
        let logger = Logger(label: "churn.predictor")
        await loader.setLogger(logger)
        switch firstLoad {
        case .success(.changed(let model)), .success(.unchanged(let model)):
            logger.notice("serving model", metadata: [
                "model": "\(model.identity.name)", "version": "\(model.identity.version)", "source": "\(model.identity.source)",
            ])
        case .failure(let error):
            logger.error("no model loaded; serving degraded until a valid bundle appears", metadata: ["reason": "\(error)"])
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
