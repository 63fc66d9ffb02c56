import ArgumentParser
import Dispatch
import Foundation
import Logging
import Predictor
import ServiceKit
import ServiceLifecycle
import Wire

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
        abstract:
            "Serve predictions from a model bundle file or a registry alias (hot swap without dropping requests).",
        discussion: """
            Give exactly one model source: --model-file PATH or --registry HOST:PORT (or registry replicas \
            HOST:PORT,HOST:PORT…: the predictor uses the first that answers and fails over to the next, \
            resuming its event subscription where it stopped).

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

            Prediction log: with --log-dir DIR every answered Predict (a sample with --log-sample) is \
            appended to segment files in DIR — request id, time, model and version, the inputs as sent \
            (less --log-exclude columns), probabilities and labels — off the request path: entries \
            wait in a bounded queue and are written and fsynced every 50 ms; when the queue is full \
            they are dropped and counted (predictor_log_dropped_total, and a note in Health). Read \
            it with `churn predictions log DIR`.
            """
    )

    @OptionGroup var options: ServeOptions

    @OptionGroup(title: "Prediction log") var logOptions: PredictionLogOptions

    @Option(name: .long, help: "The model bundle file to serve (not with --registry).")
    var modelFile: String?

    @Option(name: .long, help: "Model name in responses (with --model-file; default: the file name without extension).")
    var modelName: String?

    @Option(
        name: .long,
        help: "Seconds between checks of the model file for changes (with --model-file; default: no polling).")
    var pollInterval: Double?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Serve the model a registry alias points at (not with --model-file); several replicas comma-separated, a DNS name standing for each address it resolves to.",
            valueName: "host:port[,host:port…]"))
    var registry: String?

    @Option(name: .long, help: "Registry model name to serve (with --registry).")
    var model: String = RegistryModelSource.defaultName

    @Option(name: .long, help: "Registry alias to follow (with --registry).")
    var alias: String = RegistryModelSource.defaultAlias

    @Option(
        name: .long,
        help: "This predictor's name in the registry's deployment reports (with --registry; default: HOSTNAME:PORT).")
    var instance: String?

    @Option(name: .long, help: "Largest Predict (rows) answered on the event loop; larger ones run in a task.")
    var maxRowsOnLoop: Int = 1024

    func validate() throws {
        switch (modelFile, registry) {
        case (nil, nil): throw ValidationError("give a model source: --model-file PATH or --registry HOST:PORT")
        case (.some, .some):
            throw ValidationError("--model-file and --registry are mutually exclusive: give one model source")
        case (.some, nil):
            if instance != nil { throw ValidationError("--instance applies to --registry only") }
        case (nil, .some(let address)):
            do {
                _ = try RoleEndpoints(parsing: address, role: "registry")
            } catch {
                throw ValidationError("--registry: \(error)")
            }
            if modelName != nil || pollInterval != nil {
                throw ValidationError(
                    "--model-name and --poll-interval apply to --model-file only (use --model with --registry)")
            }
            if model.isEmpty || alias.isEmpty { throw ValidationError("--model and --alias must not be empty") }
            if let instance, instance.isEmpty { throw ValidationError("--instance must not be empty") }
        }
        if let pollInterval, !(pollInterval > 0) { throw ValidationError("--poll-interval must be positive") }
        if maxRowsOnLoop < 0 { throw ValidationError("--max-rows-on-loop must not be negative") }
    }

    func run() async throws {
        try ServeRunner.bootstrap(options)
        let source: any ModelSource
        if let registry, let endpoints = try? RoleEndpoints(parsing: registry, role: "registry") {
            source = RegistryModelSource(
                endpoints: endpoints, name: model, alias: alias, instance: instance,
                token: try options.token())
        } else {
            source = FileModelSource(path: modelFile ?? "", name: modelName, pollInterval: pollInterval)
        }
        let role = await PredictorRole.start(source: source, maxRowsOnLoop: maxRowsOnLoop, log: logOptions.log())
        try await ServeRunner.run(
            options: options, role: "predictor", handler: role.handler, extraServices: role.services,
            outlivingServices: role.servicesOutlivingServer,
            defaultListen: "127.0.0.1:7402",
            prepare: { server in
                if instance == nil { role.nameInstance(after: server) }
            })
    }
}
