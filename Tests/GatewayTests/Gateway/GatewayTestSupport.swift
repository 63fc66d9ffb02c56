import ChurnML
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Predictor
import Prometheus
import Registry
import ServiceKit
import ServiceLifecycle
import Trainer
import Wire

/// The customer rows the gateway tests send: the real dataset when it is present
/// (`../shared/datasets/Churn_Modelling.csv` from the package root), else synthetic bank rows with
/// the same columns.
enum GatewayTestData {
    /// The package root, found from this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The CSV bytes.
    static let csv: [UInt8] = {
        let real = root.deletingLastPathComponent().appendingPathComponent("shared/datasets/Churn_Modelling.csv").path
        if let data = FileManager.default.contents(atPath: real) { return Array(data) }
        return SyntheticBankData.csv(rows: 3000, seed: 11)
    }()

    /// Header and text fields of every line (neither file quotes fields).
    static let lines: (header: [String], rows: [[String]]) = {
        let text = String(decoding: csv, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = lines.isEmpty ? [] : lines.removeFirst()
        return (header, lines)
    }()

    /// The table ChurnML reads from ``csv``.
    static let table: Table =
        (try? CSVReader.parse(csv, source: "gateway-tests.csv"))
        ?? Table(source: "empty", columnNames: [], columns: [], lineNumbers: [])

    /// A model trained for a few epochs on ``table``.
    static let bundle: Result<ModelBundle, any Error> = Result {
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 4
        return try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "test", source: table.source), created: "2025-11-25T00:00:00Z"
        ).bundle
    }

    /// Row `index` as an API client would send it: numbers as JSON numbers, other text as strings.
    static func jsonRow(_ index: Int) -> [String: Any] {
        var row: [String: Any] = [:]
        for (column, value) in zip(lines.header, lines.rows[index]) {
            if let number = Double(value) { row[column] = number } else { row[column] = value }
        }
        return row
    }

    /// The offline probabilities of rows `indices` (ModelBundle.predict on the same text values).
    static func offline(_ indices: [Int], changing overrides: [String: String] = [:]) throws -> [Float] {
        let bundle = try bundle.get()
        let rows: [[String?]] = indices.map { index in
            zip(lines.header, lines.rows[index]).map { column, value in overrides[column] ?? value }
        }
        let table = try Table(source: "expected", columnNames: lines.header, rows: rows)
        return try bundle.predict(table).probabilities
    }

    /// JSON bytes of `value`.
    static func json(_ value: Any) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: value)) ?? Data())
    }
}

/// A temporary directory.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A WireServer with one role handler on port 0, in its own ServiceGroup.
struct RunningRole {
    let server: WireServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int

    static func start(
        role: String, handler: any WireRequestHandler, token: String? = nil, port: Int = 0,
        prepare: (WireServer) async throws -> Void = { _ in }
    ) async throws -> RunningRole {
        var configuration = WireServerConfiguration()
        configuration.port = port
        configuration.roleName = role
        configuration.serverVersion = "test"
        configuration.token = token
        var logger = Logger(label: "test-\(role)")
        logger.logLevel = .critical
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        try await prepare(server)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return RunningRole(server: server, group: group, task: task, port: address.port ?? 0)
    }

    var address: ListenAddress { ListenAddress(host: "127.0.0.1", port: port) }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// A real registry and predictor (in-process wire servers over real stores) with the test model
/// published as `churn` v1 (alias `production`) and served, and a gateway in front of them.
final class GatewayFixture: Sendable {
    static let token = "gateway-test-token"

    let directory: ScratchDirectory
    let registry: RunningRole
    let predictor: RunningRole
    let gateway: Gateway
    let bundleBytes: [UInt8]
    /// The trainer, when started with one (its dataset `bank` is the test CSV).
    let trainer: RunningRole?
    /// The predictor's drift monitor (its queue is counted only when a test calls `drain()`).
    let drift: DriftMonitor

    /// A second predictor serving the same model file on `port` (after the first one stopped).
    func restartPredictor(port: Int) async throws -> RunningRole {
        var logger = Logger(label: "gateway-test")
        logger.logLevel = .critical
        let store = ModelStore()
        let loader = ModelLoader(
            source: FileModelSource(path: directory.file("churn.safetensors"), name: "churn"), store: store,
            logger: logger)
        await loader.reload()
        return try await RunningRole.start(
            role: "predictor", handler: PredictorHandler(store: store, loader: loader, maxRowsOnLoop: 64), port: port)
    }

    private init(
        directory: ScratchDirectory, registry: RunningRole, predictor: RunningRole, gateway: Gateway,
        bundleBytes: [UInt8],
        trainer: RunningRole?, drift: DriftMonitor
    ) {
        self.directory = directory
        self.registry = registry
        self.predictor = predictor
        self.gateway = gateway
        self.bundleBytes = bundleBytes
        self.trainer = trainer
        self.drift = drift
    }

    /// Starts everything. `modelFile: false` starts a predictor whose model file does not exist (no model);
    /// `predictorAddress` replaces the predictor's address in the gateway (e.g. a closed port).
    static func start(
        servePredictorModel: Bool = true, predictorAddress: ListenAddress? = nil,
        metrics: PrometheusCollectorRegistry? = nil,
        withTrainer: Bool = false, configure: (inout GatewayConfiguration) -> Void = { _ in }
    ) async throws -> GatewayFixture {
        let directory = try ScratchDirectory()
        var logger = Logger(label: "gateway-test")
        logger.logLevel = .critical
        let bundle = try GatewayTestData.bundle.get()
        let bytes = try BundleCodec.encode(bundle)
        let modelFile = directory.file("churn.safetensors")
        if servePredictorModel { try Data(bytes).write(to: URL(fileURLWithPath: modelFile)) }

        let store = try RegistryStore(directory: directory.file("registry"), logger: logger)
        let registryHandler = RegistryHandler(store: store, gcGraceMillis: 0, logger: logger)
        let registry = try await RunningRole.start(role: "registry", handler: registryHandler, token: token) { server in
            try await registryHandler.attach(to: server.events, retention: 4096)
        }
        let client = try await RegistryClient.connect(
            host: "127.0.0.1", port: registry.port,
            configuration: WireClientConfiguration(clientName: "test", token: token))
        _ = try await client.publishModel(bundle: bytes, name: "churn", alias: "production")
        var trainer: RunningRole?
        if withTrainer {
            _ = try await client.pushDataset(bytes: GatewayTestData.csv, name: "bank")
            let store = try JobStore(path: directory.file("jobs.sqlite"))
            let backend = try RegistryBackend(
                host: "127.0.0.1", port: registry.port,
                configuration: WireClientConfiguration(clientName: "test-trainer", token: token),
                policy: .never, metric: "roc_auc", logger: logger)
            let relay = TrainerEventRelay(logger: logger)
            let runner = JobRunner(store: store, backend: backend, logger: logger, onEvent: { relay.publish($0) })
            try await runner.start()
            trainer = try await RunningRole.start(
                role: "trainer", handler: TrainerHandler(runner: runner, logger: logger), token: token
            ) {
                relay.attach(to: $0.events)
            }
        }
        await client.close()

        let modelStore = ModelStore()
        let loader = ModelLoader(
            source: FileModelSource(path: modelFile, name: "churn"), store: modelStore, logger: logger)
        await loader.reload()
        let drift = DriftMonitor()
        let predictor = try await RunningRole.start(
            role: "predictor",
            handler: PredictorHandler(
                store: modelStore, loader: loader, maxRowsOnLoop: 64, observers: PredictionObservers(drift: drift)))

        var configuration = GatewayConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            predictor: RoleEndpoints(predictorAddress ?? predictor.address),
            registry: RoleEndpoints(registry.address), trainer: trainer.map { RoleEndpoints($0.address) },
            token: token)
        configure(&configuration)
        let gateway = Gateway(configuration: configuration, metrics: metrics, logger: logger)
        return GatewayFixture(
            directory: directory, registry: registry, predictor: predictor, gateway: gateway, bundleBytes: bytes,
            trainer: trainer, drift: drift)
    }

    /// Runs `test` against the gateway's router in-process (HummingbirdTesting), then stops everything.
    static func withGateway<Value: Sendable>(
        servePredictorModel: Bool = true, predictorAddress: ListenAddress? = nil,
        metrics: PrometheusCollectorRegistry? = nil,
        withTrainer: Bool = false, configure: (inout GatewayConfiguration) -> Void = { _ in },
        _ test: @Sendable (any TestClientProtocol, GatewayFixture) async throws -> Value
    ) async throws -> Value {
        let fixture = try await start(
            servePredictorModel: servePredictorModel, predictorAddress: predictorAddress, metrics: metrics,
            withTrainer: withTrainer,
            configure: configure)
        do {
            let app = Application(router: fixture.gateway.router())
            let value = try await app.test(.router) { client in try await test(client, fixture) }
            await fixture.stop()
            return value
        } catch {
            await fixture.stop()
            throw error
        }
    }

    /// A registry client with the token.
    func registryClient() async throws -> RegistryClient {
        try await RegistryClient.connect(
            host: "127.0.0.1", port: registry.port,
            configuration: WireClientConfiguration(clientName: "test", token: Self.token))
    }

    /// Stops the gateway's connections and the roles, removes the files.
    func stop() async {
        await gateway.shutdown()
        await trainer?.stop()
        await predictor.stop()
        await registry.stop()
        directory.remove()
    }
}

/// A response body as text.
extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body parsed as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// `error.fields[].field` of a JSON error body.
    var errorFields: [String] {
        ((object["error"] as? [String: Any])?["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// `error.code` of a JSON error body.
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
}
