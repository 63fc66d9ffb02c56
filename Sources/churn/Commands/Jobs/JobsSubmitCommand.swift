import ArgumentParser
import ChurnClient
import ChurnML
import Foundation
import Wire

/// `churn jobs submit --dataset N [training options] [--model NAME] [--tag k=v]... [--watch]`.
struct JobsSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract:
            "Submit a training job on a registry dataset; --watch follows it with the same progress bar as churn train.",
        discussion: """
            The trainer fetches the dataset from its registry (NAME = latest push, NAME@SHA256PREFIX = that \
            push), trains with these options exactly as `churn train` would, publishes the model as the next \
            version of --model (default: churn) and applies its promotion policy. With --watch the command \
            waits for the job and exits 0 only when it succeeded.
            """)

    @Option(name: .long, help: "The dataset reference: NAME or NAME@SHA256PREFIX.") var dataset: String
    @Option(name: .long, help: "Model name to publish under.") var model: String = "churn"
    @Option(name: .long, help: "A tag KEY=VALUE for the published model (repeatable).") var tag: [String] = []
    @Option(name: .long, help: "The binary target column (default: a column named like Exited, Churn or churned).")
    var target: String?
    @OptionGroup var training: TrainingOptions
    @Flag(
        name: .long,
        help: "Follow the job until it ends (progress bar on a terminal); exit non-zero unless it succeeded.")
    var watch = false
    @OptionGroup var trainer: TrainerOptions

    func run() async throws {
        var tags: [String: String] = [:]
        for item in tag {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--tag '\(item)' is not KEY=VALUE")
            }
            tags[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        let options = try TrainingOptionsCodec.encode(try training.configuration())
        let request = SubmitJobRequest(dataset: dataset, modelName: model, options: options, target: target, tags: tags)
        let json = trainer.json
        let final = try await trainer.withClient { client -> JobRecord in
            let job = try await client.submit(request)
            guard watch else { return job }
            if !json { FileHandle.standardError.write(Data("job \(job.id) submitted; watching\n".utf8)) }
            return try await Self.follow(job, client: client, bar: ProgressBar(enabled: !json))
        }
        if json {
            try JSONOutput.print(final)
        } else if watch {
            print(JobsCommand.detail(final))
        } else {
            print("submitted job \(final.id): \(final.dataset) -> \(final.modelName) (\(final.state.rawValue))")
        }
        if watch, final.state != .succeeded { throw ExitCode(1) }
    }

    /// Follows the job's events until it ends, drawing the progress bar; returns the final record.
    static func follow(_ job: JobRecord, client: TrainerClient, bar: ProgressBar) async throws -> JobRecord {
        var last = job
        for try await event in client.watch(job: job.id) {
            switch event {
            case .progress(let progress): bar.update(try epochReport(progress))
            case .state(let record): last = record
            }
        }
        bar.finish()
        return last
    }

    /// The epoch report `churn train`'s bar draws, from a progress event (same JSON keys).
    static func epochReport(_ progress: JobProgress) throws -> EpochReport {
        try JSONDocument(encoding: progress).decode(EpochReport.self)
    }
}
