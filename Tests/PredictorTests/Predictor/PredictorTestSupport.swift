import ChurnML
import Foundation
import Logging
import NIOCore
import Predictor
import ServiceKit
import ServiceLifecycle
import Wire

/// Data and models for the predictor tests: the real dataset when it is present
/// (`../shared/datasets/Churn_Modelling.csv` from the package root), else synthetic rows.
enum TestData {
    /// The real dataset's path, relative to the package root found from this file.
    static let realDatasetPath = PredictorVectors.root
        .deletingLastPathComponent()
        .appendingPathComponent("shared/datasets/Churn_Modelling.csv").path

    /// The table the tests score (and the small models are trained on).
    static let table: Table = {
        if FileManager.default.fileExists(atPath: realDatasetPath),
            let table = try? CSVReader.read(contentsOf: realDatasetPath)
        {
            return table
        }
        // Synthetic bank data has the same columns as the reference dataset.
        return (try? CSVReader.parse(SyntheticBankData.csv(rows: 3000, seed: 11), source: "synthetic.csv"))
            ?? Table(source: "empty", columnNames: [], columns: [], lineNumbers: [])
    }()

    /// Whether ``table`` is the real dataset.
    static var isReal: Bool { table.source == realDatasetPath }

    /// A quickly trained model (few epochs) on ``table``.
    static let bundle: Result<ModelBundle, any Error> = Result {
        let schema = try SchemaInference.infer(table, target: nil, overrides: nil)
        var configuration = TrainingConfiguration()
        configuration.epochs = 4
        let outcome = try ModelTrainer.train(
            table: table, schema: schema, configuration: configuration,
            dataset: DatasetIdentity(sha256: "test", source: table.source), created: "2025-11-25T00:00:00Z")
        return outcome.bundle
    }

    /// ``bundle`` or a thrown error.
    static func model() throws -> ModelBundle { try bundle.get() }

    /// The rows at `range` of ``table`` (clamped to the table).
    static func rows(_ range: Range<Int>) -> Table {
        table.rows(Array(range.clamped(to: 0..<table.rowCount)))
    }

    /// A variant of `bundle` whose output bias is shifted by `delta` (distinct probabilities, bytes and version).
    static func variant(_ bundle: ModelBundle, delta: Float) throws -> ModelBundle {
        var copy = bundle
        var parameters = copy.network.parameters
        parameters[parameters.count - 1] += delta
        copy.network = try DenseNetwork(layerSizes: copy.network.layerSizes, parameters: parameters)
        return copy
    }
}

/// A temporary directory removed by ``remove()``.
struct TemporaryDirectory {
    /// Its path.
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("predictor-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Replaces the file at `path` atomically: writes a sibling temporary file, then renames it.
    static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        try FileBytes.write(bytes, to: temporary)
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// A predictor (store + loader + handler + WireServer) on port 0 for the duration of a test.
struct RunningPredictor {
    let server: WireServer
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let port: Int
    let store: ModelStore
    let loader: ModelLoader

    /// Starts a predictor serving `modelFile` (loaded once before the server starts).
    static func start(
        modelFile: String, name: String = "churn", maxRows: Int = 100_000, maxRowsOnLoop: Int = 64
    ) async throws -> RunningPredictor {
        try await start(
            source: FileModelSource(path: modelFile, name: name), maxRows: maxRows, maxRowsOnLoop: maxRowsOnLoop)
    }

    /// Starts a predictor on `source` (loaded once before the server starts; changes not followed).
    static func start(
        source: any ModelSource, maxRows: Int = 100_000, maxRowsOnLoop: Int = 64
    ) async throws -> RunningPredictor {
        var logger = Logger(label: "test-predictor")
        logger.logLevel = .critical
        let store = ModelStore()
        let loader = ModelLoader(source: source, store: store, logger: logger)
        await loader.reload()
        var configuration = WireServerConfiguration()
        configuration.port = 0
        configuration.roleName = "predictor"
        configuration.serverVersion = "test"
        configuration.maxRows = maxRows
        let handler = PredictorHandler(store: store, loader: loader, maxRowsOnLoop: maxRowsOnLoop)
        let server = WireServer(configuration: configuration, handler: handler, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
        let task = Task { try await group.run() }
        let address = try await server.listeningAddress
        return RunningPredictor(
            server: server, group: group, task: task, port: address.port ?? 0, store: store, loader: loader)
    }

    /// Graceful shutdown, waiting for the server to stop.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// A new connected client.
    func client() async throws -> WireClient {
        try await WireClient.connect(
            host: "127.0.0.1", port: port, configuration: WireClientConfiguration(clientName: "test"))
    }
}

extension WireClient {
    /// Sends a raw Predict body and returns the server's error, or nil when it answered normally.
    func predictError(_ body: ByteBuffer) async -> ErrorMessage? {
        do {
            _ = try await request(opcode: .predict, body: body)
            return nil
        } catch let WireClientError.server(code, message, field) {
            return ErrorMessage(code: code, message: message, field: field)
        } catch {
            return ErrorMessage(code: .internal, message: "client: \(error)")
        }
    }

    /// Sends a Predict request and returns the server's error, or nil when it answered normally.
    func predictError(_ request: PredictRequest) async -> ErrorMessage? {
        await predictError(request.encodedBody())
    }
}
