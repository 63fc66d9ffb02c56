import ArgumentParser
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle
import Trainer
import Wire

/// `churn serve trainer`: the training service (wire.md §14). Jobs arrive by SubmitJob (or, with
/// `--auto-train`, from the registry's `dataset.pushed` events), are stored durably in
/// `DATA_DIR/jobs.sqlite` (or, with `--jobs postgres://…`, in a queue shared by several trainers),
/// train on their own threads, and publish to the registry under the promotion policy. Jobs that
/// were running when the trainer died are re-run on restart (shared queue: by another trainer,
/// once the lease expires).
struct ServeTrainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "Serve training jobs: submit over the wire or auto-train on dataset pushes; publish to the registry.",
        discussion: """
            Auto-train: --auto-train DATASET[:MODEL] submits a job for every push of DATASET (model name \
            default: churn), trained with the training options given here. The trainer remembers the last \
            registry event it handled (in DATA_DIR/jobs.sqlite), so a push made while it was down trains \
            after restart; the very first start begins at the registry's current head.
            Promotion: never | always | if-better (move `production` only when the new version is strictly \
            better on --promote-metric than the current production version, both scored on the job's \
            held-out rows; no production yet: promote).
            Shared queue: with --jobs postgres://USER@HOST:PORT/DB (password from PGPASSWORD or the URL), \
            any number of trainers share one job queue: each job runs on exactly one of them under a lease \
            they renew; when a trainer dies, another re-runs its jobs once the lease (--job-lease) expires, \
            without publishing a second time. Auto-train on a shared queue submits one job per push across \
            all trainers, and every trainer relays the progress of every job to its subscribers.
            Token: the shared token (--token-file or CHURN_TOKEN) is needed to submit and cancel jobs, and \
            the trainer presents it to the registry when it publishes.
            """
    )

    @OptionGroup var options: ServeOptions

    @Option(
        name: .long,
        help:
            "Registry address HOST:PORT, or replicas HOST:PORT,HOST:PORT… to fail over between; a DNS name stands for each address it resolves to (else CHURN_REGISTRY, else 127.0.0.1:7400)."
    )
    var registry: String?

    @Option(name: .long, help: "Data directory for the job store (created when missing); not needed with --jobs.")
    var dataDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep jobs in a PostgreSQL queue shared by every trainer given the same URL, instead of DATA_DIR/jobs.sqlite.",
            valueName: "postgres://USER@HOST:PORT/DB"))
    var jobs: String?

    @Option(
        name: .long,
        help:
            "Seconds a shared queue's claim on a running job lasts without renewal (renewed every quarter, at most every second): a dead trainer's jobs are re-run this long after it died."
    )
    var jobLease: Double = 10

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Train on every push of this dataset, publishing as MODEL (default churn).", valueName: "DATASET[:MODEL]"))
    var autoTrain: String?

    @Option(name: .long, help: "Promotion policy: never, always or if-better.")
    var promote: PromotionPolicy = .ifBetter

    @Option(
        name: .long,
        help:
            "Metric if-better compares: roc_auc, pr_auc, accuracy, precision, recall, f1 (higher is better), log_loss, brier (lower is better)."
    )
    var promoteMetric: String = "roc_auc"

    @Option(name: .long, help: "Jobs trained at the same time.")
    var maxConcurrentJobs: Int = 1

    @Option(name: .long, help: "The target column of auto-train jobs (default: inferred).")
    var target: String?

    @OptionGroup(title: "Training options of auto-train jobs")
    var training: TrainingOptions

    func validate() throws {
        guard maxConcurrentJobs >= 1 else { throw ValidationError("--max-concurrent-jobs must be at least 1") }
        guard dataDir != nil || jobs != nil else {
            throw ValidationError(
                "give --data-dir DIR (this trainer's own job store) or --jobs postgres://… (a queue shared by several trainers)"
            )
        }
        guard jobLease.isFinite, (1...3600).contains(jobLease) else {
            throw ValidationError("--job-lease must be 1…3600 seconds")
        }
        guard PromotionMetric.all.contains(promoteMetric) else {
            throw ValidationError("--promote-metric must be one of \(PromotionMetric.all.joined(separator: ", "))")
        }
    }

    func run() async throws {
        try ServeRunner.bootstrap(options)
        let endpoints = try ClientSession.endpoints(
            registry, role: "registry", variable: "CHURN_REGISTRY", fallback: "127.0.0.1:7400")
        let rule = try autoTrainRule()
        let role: TrainerRole
        do {
            role = try await TrainerRole(
                dataDirectory: dataDir, jobs: jobs, lease: .milliseconds(Int64(jobLease * 1000)), registry: endpoints,
                token: try options.token(), policy: promote, metric: promoteMetric,
                maxConcurrentJobs: maxConcurrentJobs, rule: rule, logger: Logger(label: "churn.trainer"))
        } catch let error as TrainerRoleError {
            throw ValidationError(error.description)
        }
        try await ServeRunner.run(
            options: options, role: "trainer", handler: role.handler, extraServices: role.services,
            defaultListen: "127.0.0.1:7401",
            prepare: { server in role.attach(to: server) },
            starting: {
                // Before listening: recover interrupted jobs, and note the registry's head on the first
                // start so a push made right after "listening" trains.
                try await role.start()
            })
    }

    /// The auto-train rule from `--auto-train` and the training options.
    private func autoTrainRule() throws -> AutoTrainer.Rule? {
        guard let autoTrain else { return nil }
        let parts = autoTrain.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let dataset = parts.first, !dataset.isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw ValidationError("--auto-train '\(autoTrain)' is not DATASET or DATASET:MODEL")
        }
        return AutoTrainer.Rule(
            dataset: dataset, modelName: parts.count == 2 ? parts[1] : "churn",
            configuration: try training.configuration(),
            target: target)
    }
}

extension PromotionPolicy: ExpressibleByArgument {}
