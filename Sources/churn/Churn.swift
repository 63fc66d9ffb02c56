import ArgumentParser

/// The `churn` command: every server role and every client action of the system.
@main
struct Churn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract: "Customer-churn prediction: train, evaluate, serve and query churn models.",
        version: ChurnVersionText.current,
        subcommands: [
            SynthCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            PredictCommand.self,
            InspectCommand.self,
            ProfileCommand.self,
            ScoreCommand.self,
            ReportCommand.self,
            BenchCommand.self,
            HealthCommand.self,
            ServeCommand.self,
            DatasetsCommand.self,
            RegistryCommand.self,
            ModelsCommand.self,
            JobsCommand.self,
            PredictionsCommand.self,
            MonitorCommand.self,
        ]
    )
}
