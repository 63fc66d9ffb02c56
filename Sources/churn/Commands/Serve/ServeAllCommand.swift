import ArgumentParser
import ChurnML
import Foundation
import Gateway
import Logging
import Predictor
import Registry
import ServiceKit
import ServiceLifecycle
import Trainer
import Wire

/// `churn serve all`: every role in one process — registry, trainer, predictor (and the HTTP
/// gateway) — each on its own loopback port and talking to the others over the same wire protocol
/// as separate processes would. On the first start it pushes a synthetic sample dataset, so
/// auto-train publishes and promotes a first model and the predictor serves it.
struct ServeAllCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run registry, trainer, predictor and gateway in one process, with sample data on first start.",
        discussion: """
            State lives under --data-dir: DIR/registry (datasets, model versions, aliases) and DIR/trainer \
            (jobs). The trainer auto-trains every push of dataset `churn` as model `churn` and promotes a \
            new version to `production` when it beats the current one on ROC-AUC; the predictor serves \
            churn@production. On the first start (no dataset `churn` yet) a synthetic sample of 10,000 \
            customers (the same bytes as `churn synth --rows 10000 --seed 0`) is pushed, unless \
            --no-sample. Push your own data with `churn datasets push FILE --name churn`. With \
            --log-dir (such as DIR/predictions) the predictor logs what it answers (see `churn serve \
            predictor --help`).
            """
    )

    /// The dataset and model name `serve all` wires together.
    static let name = "churn"

    @Option(name: .long, help: "Where registry and trainer keep their state (created when missing).")
    var dataDir: String = "churn-data"

    @Option(name: .long, help: "Address of the HTTP gateway (web pages and JSON API).")
    var http: String = "127.0.0.1:8080"

    @Option(name: .long, help: "Address of the registry's wire protocol.")
    var registryListen: String = "127.0.0.1:7400"

    @Option(name: .long, help: "Address of the trainer's wire protocol.")
    var trainerListen: String = "127.0.0.1:7401"

    @Option(name: .long, help: "Address of the predictor's wire protocol.")
    var predictorListen: String = "127.0.0.1:7402"

    @Flag(name: .long, help: "Do not push the sample dataset on the first start.")
    var noSample = false

    @Option(
        name: .long, help: "File holding the shared token (else the CHURN_TOKEN environment variable; else no token).")
    var tokenFile: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    @OptionGroup(title: "Prediction log") var logOptions: PredictionLogOptions

    func validate() throws {
        for (flag, value) in [
            ("--http", http), ("--registry-listen", registryListen), ("--trainer-listen", trainerListen),
            ("--predictor-listen", predictorListen),
        ] where ListenAddress(parsing: value) == nil {
            throw ValidationError("\(flag) '\(value)' is not HOST:PORT")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let metrics = ServeRunner.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .notice)
        let logger = Logger(label: "churn.all")
        let token = try ServeOptions.token(file: tokenFile)
        let addresses = try RoleAddresses(registry: registryListen, trainer: trainerListen, predictor: predictorListen)

        // Registry.
        let store: RegistryStore
        do {
            store = try RegistryStore(directory: dataDir + "/registry")
        } catch let error as RegistryError {
            throw ValidationError("cannot open the registry in '\(dataDir)/registry': \(error)")
        }
        let registry = RegistryRole(store: store, logger: Logger(label: "churn.registry"))
        let registryServer = Self.server(
            role: "registry", address: addresses.registry, token: token, handler: registry.handler)
        try await registry.attach(to: registryServer)

        // Trainer: auto-trains every push of `churn`, from the start of the registry's log.
        let trainer: TrainerRole
        do {
            trainer = try await TrainerRole(
                dataDirectory: dataDir + "/trainer", registry: RoleEndpoints(addresses.registry), token: token,
                policy: .ifBetter,
                metric: "roc_auc", maxConcurrentJobs: 1,
                rule: AutoTrainer.Rule(
                    dataset: Self.name, modelName: Self.name, configuration: TrainingConfiguration()),
                logger: Logger(label: "churn.trainer"))
        } catch let error as TrainerRoleError {
            throw ValidationError(error.description)
        }
        try await trainer.start(autoTrainFromStart: true)
        let trainerServer = Self.server(
            role: "trainer", address: addresses.trainer, token: token, handler: trainer.handler)
        trainer.attach(to: trainerServer)

        // Predictor: follows churn@production (no model until the first one is promoted).
        let source = RegistryModelSource(
            endpoints: RoleEndpoints(addresses.registry), name: Self.name, token: token)
        // No load before the registry listens: the role's first load runs with the servers.
        let predictor = await PredictorRole.start(
            source: source, maxRowsOnLoop: 1024, loadFirst: false, log: logOptions.log())
        let predictorServer = Self.server(
            role: "predictor", address: addresses.predictor, token: token, handler: predictor.handler)
        predictor.nameInstance(after: predictorServer)

        // Gateway: the web pages and the JSON API, calling the three roles over the wire like the others.
        guard let httpAddress = ListenAddress(parsing: http) else {
            throw ValidationError("--http '\(http)' is not HOST:PORT")
        }
        let gateway = Gateway(
            configuration: GatewayConfiguration(
                listen: httpAddress, predictor: RoleEndpoints(addresses.predictor),
                registry: RoleEndpoints(addresses.registry), trainer: RoleEndpoints(addresses.trainer),
                token: token),
            metrics: metrics, logger: Logger(label: "churn.gateway"))

        let servers = [("registry", registryServer), ("trainer", trainerServer), ("predictor", predictorServer)]
        let ready = ReadinessReport(
            servers: servers, predictor: predictor.store, registry: addresses.registry, token: token,
            sample: noSample ? nil : Self.name, web: http)
        let services: [any Service] =
            predictor.servicesOutlivingServer + servers.map(\.1) + trainer.services + predictor.services
            + gateway.services() + [ready]
        try await registry.serving {
            try await ServeRunner.runGroup(services, logger: logger)
        }
    }

    /// A wire server for `role` on `address` with default settings.
    static func server(role: String, address: ListenAddress, token: String?, handler: any WireRequestHandler)
        -> WireServer
    {
        let configuration = ServeOptions.configuration(
            role: role, version: ChurnVersionText.current, address: address, token: token)
        return WireServer(configuration: configuration, handler: handler, logger: Logger(label: "churn.\(role)"))
    }
}

/// The wire addresses of the roles `serve all` runs.
struct RoleAddresses {
    /// The registry.
    var registry: ListenAddress
    /// The trainer.
    var trainer: ListenAddress
    /// The predictor.
    var predictor: ListenAddress

    /// Parses the three addresses (validated already by the command).
    init(registry: String, trainer: String, predictor: String) throws {
        guard let registry = ListenAddress(parsing: registry), let trainer = ListenAddress(parsing: trainer),
            let predictor = ListenAddress(parsing: predictor)
        else { throw ValidationError("every address must be HOST:PORT") }
        self.registry = registry
        self.trainer = trainer
        self.predictor = predictor
    }
}
