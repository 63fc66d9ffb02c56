import ArgumentParser
import Foundation
import Wire

/// `churn jobs …`: submit, watch, list, show and cancel training jobs on a trainer.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Submit, watch, list, show and cancel training jobs on a trainer (churn serve trainer).",
        subcommands: [JobsSubmitCommand.self, JobsListCommand.self, JobsShowCommand.self, JobsCancelCommand.self]
    )

    /// The table of a job listing.
    static func table(_ jobs: [JobRecord]) -> String {
        var table = TextTable(headings: [
            "ID", "STATE", "DATASET", "MODEL", "EPOCH", "VERSION", "PROMOTED", "SUBMITTED",
        ])
        for job in jobs {
            let epoch = job.progress.map { "\($0.epoch)/\($0.epochs)" } ?? "-"
            let version = job.result?.modelVersion.map { "\(job.modelName)@\($0)" } ?? "-"
            let promoted = job.result?.promotion.map { $0.promoted ? "yes" : "no" } ?? "-"
            // `name@` plus 12 digest digits is unambiguous enough for a listing (`jobs show` has it all).
            var dataset = job.dataset
            if let at = dataset.firstIndex(of: "@"), dataset.distance(from: at, to: dataset.endIndex) > 13 {
                dataset = String(dataset[...dataset.index(at, offsetBy: 12)])
            }
            table.rows.append([
                "\(job.id)", job.state.rawValue, dataset, job.modelName, epoch, version, promoted,
                Timestamp.iso8601(millis: job.submittedMillis),
            ])
        }
        return table.render()
    }

    /// The detail view of one job.
    static func detail(_ job: JobRecord) -> String {
        func time(_ millis: Int64?) -> String { millis.map { Timestamp.iso8601(millis: $0) } ?? "-" }
        func number(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "n/a" }
        var lines = [
            "id:          \(job.id)", "state:       \(job.state.rawValue)", "dataset:     \(job.dataset)",
            "model:       \(job.modelName)", "target:      \(job.target ?? "(inferred)")",
            "tags:        "
                + job.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "),
            "attempts:    \(job.attempts)",
            "submitted:   \(time(job.submittedMillis))", "started:     \(time(job.startedMillis))",
            "finished:    \(time(job.finishedMillis))",
            "options:     \((try? String(decoding: JSONDocument(encoding: job.options).json.readableBytesView, as: UTF8.self)) ?? "")",
        ]
        if let progress = job.progress {
            var line = "progress:    epoch \(progress.epoch)/\(progress.epochs), loss \(number(progress.loss))"
            if let loss = progress.validationLoss { line += ", val_loss \(number(loss))" }
            if let accuracy = progress.validationAccuracy { line += ", val_acc \(number(accuracy))" }
            lines.append(line + ", \(String(format: "%.1f", progress.elapsedSeconds)) s")
        }
        if let error = job.error { lines.append("error:       \(error)") }
        for note in job.notes { lines.append("note:        \(note)") }
        if let result = job.result {
            lines.append("version:     " + (result.modelVersion.map { "\(job.modelName)@\($0)" } ?? "-"))
            lines.append("dataset sha256: \(result.datasetSHA256)")
            lines.append("bundle sha256:  \(result.bundleSHA256)")
            lines.append(
                "epochs run:  \(result.epochsRun), train loop \(String(format: "%.3f", result.trainSeconds)) s")
            func millis(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "n/a" }
            lines.append(
                "timings:     fetch \(millis(result.fetchMillis)) ms, train \(millis(result.trainMillis)) ms, publish \(millis(result.publishMillis)) ms"
            )
            lines.append("metrics:")
            for (key, value) in result.metrics.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(key): \(number(value))")
            }
            if let promotion = result.promotion {
                lines.append(
                    "promotion:   \(promotion.promoted ? "promoted" : "not promoted") (policy \(promotion.policy.rawValue), metric \(promotion.metric))"
                )
                lines.append("  new:        \(number(promotion.newValue))")
                let production = promotion.productionVersion.map { "\(job.modelName)@\($0)" } ?? "none"
                lines.append("  production: \(production) \(number(promotion.productionValue))")
                lines.append("  reason:     \(promotion.reason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Parses a job id argument.
    static func id(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else {
            throw ValidationError("'\(text)' is not a job id (a positive whole number)")
        }
        return id
    }
}

/// `churn jobs ls [--state S]...`.
struct JobsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List jobs, newest first.")

    @Option(name: .long, help: "Only jobs in this state: queued, running, succeeded, failed, cancelled (repeatable).")
    var state: [JobState] = []
    @Option(name: .long, help: "At most this many jobs (1…1000).") var limit: Int = 100
    @OptionGroup var trainer: TrainerOptions

    func run() async throws {
        let jobs = try await trainer.withClient { try await $0.list(states: state, limit: limit) }
        if trainer.json { try JSONOutput.print(jobs) } else { print(JobsCommand.table(jobs)) }
    }
}

/// `churn jobs show ID`.
struct JobsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one job: progress, error, timings, metrics and the promotion decision.")

    @Argument(help: "The job id.") var id: String
    @OptionGroup var trainer: TrainerOptions

    func run() async throws {
        let id = try JobsCommand.id(self.id)
        let job = try await trainer.withClient { try await $0.status(id) }
        if trainer.json { try JSONOutput.print(job) } else { print(JobsCommand.detail(job)) }
    }
}

/// `churn jobs cancel ID`.
struct JobsCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a queued job, or a running one after its current epoch.")

    @Argument(help: "The job id.") var id: String
    @OptionGroup var trainer: TrainerOptions

    func run() async throws {
        let id = try JobsCommand.id(self.id)
        let job = try await trainer.withClient { try await $0.cancel(id) }
        if trainer.json {
            try JSONOutput.print(job)
        } else {
            print(
                job.state.isFinished
                    ? "job \(job.id) is \(job.state.rawValue)" : "cancelling job \(job.id) (\(job.state.rawValue))")
        }
    }
}

extension JobState: ExpressibleByArgument {}
