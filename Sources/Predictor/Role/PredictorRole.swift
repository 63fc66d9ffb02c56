import Dispatch
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// The predictor role's parts: a model source, the store of the serving model, the loader that
/// swaps models in, and the wire handler. Assembled here, in the role library, so that
/// `churn serve predictor` and `churn serve all` wire the role the same way.
public struct PredictorRole: Sendable {
    /// Where models come from.
    public let source: any ModelSource
    /// The serving model.
    public let store: ModelStore
    /// Loads and swaps models.
    public let loader: ModelLoader
    /// The wire handler.
    public let handler: PredictorHandler
    /// Where answered Predicts are logged (nil: not logged).
    public var log: PredictionLog? { handler.observers.log }

    /// Makes the parts and, with `loadFirst`, loads the first model now — before the server
    /// listens, so a predictor started with a valid bundle is never seen without it. (The loader
    /// logs how the load went.) Without it the first load happens when the role runs.
    public static func start(
        source: any ModelSource, maxRowsOnLoop: Int, loadFirst: Bool = true, log: PredictionLog? = nil,
        drift: DriftMonitor? = DriftMonitor()
    ) async -> PredictorRole {
        let store = ModelStore()
        let loader = ModelLoader(source: source, store: store, logger: Logger(label: "churn.predictor"))
        if loadFirst { await loader.reload() }
        let handler = PredictorHandler(
            store: store, loader: loader, maxRowsOnLoop: maxRowsOnLoop,
            observers: PredictionObservers(log: log, drift: drift))
        return PredictorRole(source: source, store: store, loader: loader, handler: handler)
    }

    /// The registry source, when the model comes from a registry alias.
    public var registrySource: RegistryModelSource? { source as? RegistryModelSource }

    /// Services to run beside the server: following the source's changes and SIGHUP, and the
    /// drift monitor's counting.
    public var services: [any Service] {
        [ModelFollowingService(loader: loader, registrySource: registrySource)]
            + (handler.observers.drift.map { [$0] } ?? [])
    }

    /// Services that must stop after the server: the prediction log, which writes what the
    /// server's last requests logged. A `ServiceGroup` stops its services in reverse order, so
    /// these go before the server in its list.
    public var servicesOutlivingServer: [any Service] {
        log.map { [$0] } ?? []
    }

    /// With a registry source, names this predictor `HOSTNAME:PORT` in deployment reports once the
    /// server has bound its port (`--listen` may say 0).
    public func nameInstance(after server: WireServer) {
        guard let registrySource else { return }
        Task {
            guard let port = try? await server.listeningAddress.port else { return }
            await registrySource.setInstance("\(Self.hostName()):\(port)")
        }
    }

    /// This machine's host name (`localhost` when it cannot be read).
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

/// Reloads the model on SIGHUP and on every change its source signals, until graceful shutdown.
private struct ModelFollowingService: Service {
    public let loader: ModelLoader
    let registrySource: RegistryModelSource?

    func run() async throws {
        let logger = Logger(label: "churn.predictor")
        registrySource?.setLogger(logger)
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
