import ChurnML
import Foundation
import Logging
import Wire

/// The production ``TrainingBackend``: datasets come from the registry (SHA-256 verified) and
/// models go back to it, with the job's tags and full lineage, under the promotion policy.
///
/// Promotion (`production` alias of the job's model name):
/// - `never`: publish only; `always`: publish with `production` pointing at the new version.
/// - `if-better`: score the current production version on the new job's held-out rows (same
///   dataset, same split) and move `production` only when the new version is strictly better on
///   the chosen metric. No production version yet → promote. A production version that cannot
///   score these rows (its columns are not in this dataset) → promote, saying so.
/// The decision and both numbers are returned for the job record.
public final class RegistryBackend: TrainingBackend {
    /// The alias a promotion moves.
    public static let productionAlias = "production"

    private let link: RegistryLink
    private let policy: PromotionPolicy
    private let metric: String
    private let logger: Logger

    /// A backend over the registry at `host:port`. `metric` must be one of ``PromotionMetric/all``.
    public convenience init(
        host: String, port: Int, configuration: WireClientConfiguration, policy: PromotionPolicy,
        metric: String = "roc_auc",
        logger: Logger = Logger(label: "churn.trainer")
    ) throws {
        try self.init(
            endpoints: RoleEndpoints(host: host, port: port), configuration: configuration, policy: policy,
            metric: metric,
            logger: logger)
    }

    /// A backend over the registry replicas `endpoints` (failing over from one to the next; a
    /// publish whose answer was lost is not re-sent). `metric` must be one of ``PromotionMetric/all``.
    public init(
        endpoints: RoleEndpoints, configuration: WireClientConfiguration, policy: PromotionPolicy,
        metric: String = "roc_auc",
        logger: Logger = Logger(label: "churn.trainer")
    ) throws {
        guard PromotionMetric.all.contains(metric) else {
            throw ErrorMessage(
                code: .invalidRequest,
                message: "promotion metric \"\(metric)\" is not one of \(PromotionMetric.all.joined(separator: ", "))",
                field: "metric")
        }
        self.link = RegistryLink(endpoints: endpoints, configuration: configuration)
        self.policy = policy
        self.metric = metric
        self.logger = logger
    }

    /// The bytes of dataset `reference` (`name` or `name@sha256`), downloaded and verified
    /// against the digest the registry recorded, read with the delimiter it was pushed with when one was forced.
    public func fetchDataset(_ reference: String) async throws -> DatasetFile {
        let (record, bytes) = try await link.run { try await $0.fetchDataset(reference) }
        if let at = reference.firstIndex(of: "@") {
            let prefix = reference[reference.index(after: at)...].lowercased()
            guard record.sha256.hasPrefix(prefix) else {
                throw WireClientError.blobMismatch("dataset \(reference) resolved to \(record.sha256)")
            }
        }
        let dialect = record.dialect.flatMap { try? JSONDecoder().decode(CSVDialect.self, from: Data($0.utf8)) }
        return DatasetFile(bytes: bytes, csv: CSVReadOptions(rereading: dialect))
    }

    /// Decides the promotion, then publishes (with the alias when promoting) in one registry call.
    /// A publish whose answer was lost is sent again with the same idempotency key (on a fresh
    /// connection, to the next replica if need be): the registry applies it once.
    /// The keys come from the job's `uid`, and the version is tagged `trainer.job_uid` with it.
    public func publish(_ output: JobExecutor.Output, for job: TrainingJob) async throws -> PublishOutcome {
        let keys = IdempotencyKeys(base: job.uid.flatMap(IdempotencyKey.init(hex:)) ?? .random())
        return try await link.run(keys: keys) { try await self.publish(output, for: job, client: $0) }
    }

    /// The version an earlier attempt of `job` published: the version of its model tagged
    /// `trainer.job_uid` with the job's uid.
    public func earlierPublish(for job: TrainingJob) async throws -> JobResult? {
        guard let uid = job.uid else { return nil }
        let query = "name = \"\(job.modelName)\" and tags.\(Self.jobUIDTag) = \"\(uid)\""
        guard let version = try await link.run({ try await $0.search(query) }).min(by: { $0.version < $1.version })
        else {
            return nil
        }
        return JobResult(
            datasetSHA256: version.datasetSHA256, bundleSHA256: version.bundleSHA256, modelVersion: version.version,
            testMetrics: nil, trainSeconds: 0, epochsRun: 0)
    }

    /// The tag naming the job that published a version, by uid.
    public static let jobUIDTag = "trainer.job_uid"

    /// ``publish(_:for:)`` on one connection.
    private func publish(_ output: JobExecutor.Output, for job: TrainingJob, client: RegistryClient) async throws
        -> PublishOutcome
    {
        let decision = try await decide(output, job: job, client: client)
        let datasetName = job.dataset.split(separator: "@", maxSplits: 1).first.map(String.init) ?? job.dataset
        // Lineage the registry can be queried by (`tags.dataset = "bank@…"`); the caller's tags win.
        var tags = job.tags
        if tags["trainer.job"] == nil { tags["trainer.job"] = "\(job.id)" }
        if let uid = job.uid { tags[Self.jobUIDTag] = uid }
        if tags["dataset"] == nil { tags["dataset"] = "\(datasetName)@\(output.datasetSHA256)" }
        let version = try await client.publishModel(
            bundle: output.bundle, name: job.modelName, tags: tags,
            description: "trainer job \(job.id) on dataset \(datasetName)@\(output.datasetSHA256.prefix(12))",
            alias: decision.promoted ? Self.productionAlias : nil)
        logger.info(
            "published",
            metadata: [
                "job": "\(job.id)", "model": "\(version.reference)", "promoted": "\(decision.promoted)",
                "reason": "\(decision.reason)",
            ])
        return PublishOutcome(version: version.version, promotion: decision)
    }

    /// The promotion decision for `output` under the policy.
    private func decide(_ output: JobExecutor.Output, job: TrainingJob, client: RegistryClient) async throws
        -> PromotionDecision
    {
        let newValue = output.outcome.testMetrics.flatMap { JobResult.indexedMetrics($0)[metric] }
        func decision(_ promoted: Bool, _ reason: String, production: Int? = nil, productionValue: Double? = nil)
            -> PromotionDecision
        {
            PromotionDecision(
                policy: policy, metric: metric, promoted: promoted, newValue: newValue, productionVersion: production,
                productionValue: productionValue, reason: reason)
        }
        switch policy {
        case .never:
            return decision(false, "policy never: published without promotion")
        case .always:
            return decision(true, "policy always: promoted")
        case .ifBetter:
            break
        }
        let current: ModelVersion
        do {
            current = try await client.model("\(job.modelName)@\(Self.productionAlias)").version
        } catch let error as WireClientError where error.serverCode == .notFound {
            return decision(true, "no production version yet: promoted")
        }
        guard let newValue else {
            return decision(
                false,
                "the new model has no \(metric) on held-out rows (no test split, or one class only): not promoted",
                production: current.version)
        }
        guard let heldOut = try HeldOutRows(output: output, configuration: job.configuration) else {
            return decision(
                false, "the job has no held-out rows to compare on: not promoted", production: current.version)
        }
        let bytes = try await client.download(sha256: current.bundleSHA256)
        let productionMetrics: ClassificationMetrics
        do {
            productionMetrics = try heldOut.evaluate(try BundleCodec.decode(bytes))
        } catch {
            return decision(
                true, "production \(current.reference) cannot score this dataset's held-out rows (\(error)): promoted",
                production: current.version)
        }
        guard let productionValue = JobResult.indexedMetrics(productionMetrics)[metric] else {
            return decision(
                true, "production \(current.reference) has no \(metric) on these rows: promoted",
                production: current.version)
        }
        let better = PromotionMetric.isStrictlyBetter(newValue, than: productionValue, metric: metric)
        let comparison =
            "\(metric) \(newValue) vs production \(current.reference) \(productionValue) on the same \(heldOut.labels.count) held-out rows"
        return decision(
            better, better ? "\(comparison): better, promoted" : "\(comparison): not better, not promoted",
            production: current.version, productionValue: productionValue)
    }
}
