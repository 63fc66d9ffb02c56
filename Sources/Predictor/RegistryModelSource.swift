import ChurnML
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Wire

/// A ``ModelSource`` that follows a registry alias (`churn serve predictor --registry ADDR
/// --model NAME --alias production`).
///
/// - ``load(current:)`` resolves `NAME@ALIAS` with ModelShow, and unless the version's bundle is the
///   one serving, downloads the bundle blob (the registry verifies its SHA-256 before serving it and
///   answers "corrupted" otherwise; the client verifies the downloaded bytes again against the
///   version's digest) and decodes it (`BundleCodec.decode` checks format and content checksum).
///   The model's version is the registry's version number; an alias that is not set (or a name
///   without versions) is ``ModelSourceError/noModel(source:reason:)``.
/// - ``changes()`` subscribes to `alias.moved` and `model.deleted` and yields for events of this
///   name and alias, after every (re)subscription (something may have moved while disconnected),
///   and every ``retryInterval`` seconds while no version of this source is serving.
/// - ``served(_:)`` reports the deployment (DeploymentReport: instance, name, version), again after
///   every reconnect, so `churn models show NAME` lists where each version is live.
public final class RegistryModelSource: ModelSource {
    /// The default model name (`--model`).
    public static let defaultName = "churn"
    /// The default alias followed (`--alias`).
    public static let defaultAlias = "production"

    /// The registry replicas, in the order they are tried (the source fails over between them).
    public let endpoints: RoleEndpoints
    /// The model name followed.
    public let name: String
    /// The alias followed.
    public let alias: String
    /// Seconds between load attempts while no model of this source is serving.
    public let retryInterval: Double
    /// `registry HOST:PORT[,HOST:PORT…] NAME@ALIAS`: the source named in logs, Health and ModelInfo.
    public let description: String
    /// Client settings for every connection to the registry.
    let configuration: WireClientConfiguration
    /// The connection for ModelShow, downloads and deployment reports.
    let link: RegistryLink
    private let state: NIOLockedValueBox<State>

    /// What changes while the source runs.
    private struct State {
        var instance: String?
        var servedVersion: Int?
        var reportedVersion: Int?
        var logger: Logger
    }

    /// A source following `name@alias` in the registry at `host:port`.
    public convenience init(
        host: String, port: Int, name: String = RegistryModelSource.defaultName,
        alias: String = RegistryModelSource.defaultAlias, instance: String? = nil, token: String? = nil,
        retryInterval: Double = 1, logger: Logger? = nil
    ) {
        self.init(
            endpoints: RoleEndpoints(host: host, port: port), name: name, alias: alias, instance: instance,
            token: token,
            retryInterval: retryInterval, logger: logger)
    }

    /// A source following `name@alias` in the registry replicas `endpoints` (calls and the event
    /// subscription fail over from one to the next). `instance` names this predictor in
    /// deployment reports (nil: nothing is reported until ``setInstance(_:)``); `token` is the
    /// registry's token, needed for DeploymentReport when the registry has one.
    public init(
        endpoints: RoleEndpoints, name: String = RegistryModelSource.defaultName,
        alias: String = RegistryModelSource.defaultAlias, instance: String? = nil, token: String? = nil,
        retryInterval: Double = 1, logger: Logger? = nil
    ) {
        self.endpoints = endpoints
        self.name = name
        self.alias = alias
        self.retryInterval = retryInterval > 0 ? retryInterval : 1
        description = "registry \(endpoints) \(name)@\(alias)"
        var configuration = WireClientConfiguration(clientName: "churn-predictor", token: token)
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(30)
        self.configuration = configuration
        link = RegistryLink(endpoints: endpoints, configuration: configuration)
        let quiet = Logger(label: "churn.predictor.registry", factory: { _ in SwiftLogNoOpLogHandler() })
        state = NIOLockedValueBox(State(instance: instance, logger: logger ?? quiet))
    }

    /// `NAME@ALIAS`, the reference resolved on every load.
    public var reference: String { "\(name)@\(alias)" }

    /// The instance name deployment reports use, once known.
    public var instance: String? { state.withLockedValue { $0.instance } }

    /// The registry version this source last saw swapped in (nil until one is).
    public var servedVersion: Int? { state.withLockedValue { $0.servedVersion } }

    /// Replaces the logger (the serve command loads the first model before logging is bootstrapped).
    public func setLogger(_ logger: Logger) {
        state.withLockedValue { $0.logger = logger }
    }

    /// Names this predictor in deployment reports (e.g. once its listening port is known) and
    /// reports the version serving, if any.
    public func setInstance(_ instance: String) async {
        state.withLockedValue { $0.instance = instance }
        await report()
    }

    /// The logger set by ``setLogger(_:)`` (silent until then).
    var logger: Logger { state.withLockedValue { $0.logger } }

    /// Resolves the alias, then (unless it designates bundle `current`) downloads, verifies and decodes.
    public func load(current: String?) async throws(ModelSourceError) -> ModelCandidate? {
        let reference = self.reference
        let version: ModelVersion
        do {
            version = try await link.run { try await $0.model(reference).version }
        } catch {
            throw classify(error, resolving: true, doing: "resolving \(reference)")
        }
        if version.bundleSHA256 == current { return nil }
        let label = "\(version.reference) (bundle \(version.bundleSHA256.prefix(12)))"
        let digest = version.bundleSHA256
        let bytes: [UInt8]
        do {
            bytes = try await link.run { try await $0.download(sha256: digest) }
        } catch {
            throw classify(error, resolving: false, doing: "downloading \(label)")
        }
        // RegistryClient.download verified the bytes already; this check does not depend on it.
        let actual = SHA256Digest.hex(of: bytes)
        guard actual == digest else {
            throw .checksumMismatch(
                source: description,
                reason: "\(label): downloaded bytes hash to \(actual), the registry records \(digest)")
        }
        let bundle: ModelBundle
        do {
            bundle = try BundleCodec.decode(bytes)
        } catch let error as BundleError {
            throw ModelSourceError(error, source: "\(description) \(label)")
        } catch {
            throw .invalid(source: description, reason: "\(label): \(error)")
        }
        return ModelCandidate(
            name: name, version: String(version.version), sha256: actual, source: description, bundle: bundle)
    }

    /// Records the version now serving and reports it to the registry.
    public func served(_ identity: ModelIdentity) async {
        guard let version = Int(identity.version) else { return }
        state.withLockedValue { $0.servedVersion = version }
        await report()
    }

    /// Sends DeploymentReport for the version serving (when both it and the instance are known).
    /// A failure is logged; the report is sent again after the next reconnect of the event
    /// subscription.
    func report() async {
        let (instance, version, logger) = state.withLockedValue { ($0.instance, $0.servedVersion, $0.logger) }
        guard let instance, let version else { return }
        let request = DeploymentReportRequest(instance: instance, name: name, version: version)
        do {
            _ = try await link.run { try await $0.call(request) }
            state.withLockedValue { $0.reportedVersion = version }
            logger.info(
                "reported deployment",
                metadata: ["instance": "\(instance)", "model": "\(name)", "version": "\(version)"])
        } catch {
            state.withLockedValue { $0.reportedVersion = nil }
            logger.warning(
                "could not report the deployment to the registry; will retry after reconnecting",
                metadata: ["registry": "\(endpoints)", "error": "\(error)"])
        }
    }

    /// Whether a report of the serving version is still owed to the registry.
    var reportPending: Bool {
        state.withLockedValue { $0.servedVersion != nil && $0.reportedVersion != $0.servedVersion }
    }

    /// Maps a failed registry call (`resolving`: the ModelShow of the alias, else the download) to
    /// the error the predictor reports; `what` says what was being done.
    func classify(_ error: any Error, resolving: Bool, doing what: String) -> ModelSourceError {
        guard let error = error as? WireClientError else {
            return .unreadable(source: description, reason: "\(what): cannot reach the registry: \(error)")
        }
        switch error {
        case .server(.notFound, let message, _) where resolving:
            return .noModel(source: description, reason: "\(reference) is not set in the registry (\(message))")
        case .server(.checksumMismatch, let message, _):
            return .checksumMismatch(source: description, reason: "\(what): the registry refused it: \(message)")
        case .server(let code, let message, _):
            return .unreadable(source: description, reason: "\(what): the registry answered \(code): \(message)")
        case .blobMismatch(let reason):
            return .checksumMismatch(source: description, reason: "\(what): \(reason)")
        case .timeout, .connectionClosed, .protocolViolation:
            return .unreadable(source: description, reason: "\(what): cannot reach the registry: \(error)")
        }
    }
}
